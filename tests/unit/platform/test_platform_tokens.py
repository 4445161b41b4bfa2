"""Access-token verification against a JWKS served by a real HTTP server on loopback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter
from fastapi.testclient import TestClient

from snp_platform.http import create_app
from snp_platform.settings import ServiceSettings
from snp_platform.tenancy import current_tenant
from snp_platform.tokens import CurrentPrincipal, InvalidToken, JwksUnavailable, TokenVerifier

ISSUER = "https://identity.test"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Jwks:
    """A JWKS endpoint whose published keys the test changes; counts its fetches."""

    def __init__(self) -> None:
        self.keys: dict[str, Ed25519PrivateKey] = {}
        self.fetches = 0
        jwks = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                jwks.fetches += 1
                body = json.dumps({"keys": [jwks.jwk(kid) for kid in list(jwks.keys)]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def add_key(self) -> str:
        kid = uuid.uuid4().hex[:8]
        self.keys[kid] = Ed25519PrivateKey.generate()
        return kid

    def jwk(self, kid: str) -> dict[str, str]:
        raw = self.keys[kid].public_key().public_bytes_raw()
        return {"kty": "OKP", "crv": "Ed25519", "kid": kid, "use": "sig", "x": _b64(raw)}

    def token(self, kid: str, key: Ed25519PrivateKey | None = None, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "sub": "acc-1",
            "tenant": "met",
            "kind": "police",
            "amr": ["pwd", "otp"],
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        signing_key = key or self.keys[kid]
        return jwt.encode(claims, signing_key, algorithm="EdDSA", headers={"kid": kid})


@pytest.fixture
def jwks() -> Iterator[Jwks]:
    server = Jwks()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _verifier(
    jwks: Jwks, max_age: float = 300.0, min_refetch_interval: float = 10.0
) -> TokenVerifier:
    return TokenVerifier(
        jwks.url, ISSUER, 0, max_age=max_age, min_refetch_interval=min_refetch_interval
    )


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> bytes:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}".encode()


def test_valid_token_gives_its_principal(jwks: Jwks) -> None:
    kid = jwks.add_key()
    principal = _verifier(jwks).verify(jwks.token(kid))
    assert (principal.account_id, principal.tenant, principal.kind) == ("acc-1", "met", "police")
    assert principal.amr == ("pwd", "otp") and principal.mfa
    assert principal.expires_at.tzinfo is not None


def test_a_partner_token_carries_its_agency(jwks: Jwks) -> None:
    kid = jwks.add_key()
    principal = _verifier(jwks).verify(jwks.token(kid, kind="partner", agency="agency-1"))
    assert (principal.kind, principal.agency) == ("partner", "agency-1")
    assert _verifier(jwks).verify(jwks.token(kid)).agency is None


def test_password_only_sign_in_is_not_mfa(jwks: Jwks) -> None:
    kid = jwks.add_key()
    assert not _verifier(jwks).verify(jwks.token(kid, amr=["pwd"])).mfa


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 60},
        {"iss": "https://evil.test"},
        {"kind": "superuser"},
        {"tenant": ""},
        {"amr": "pwd"},
        {"kind": "partner"},
        {"kind": "partner", "agency": ""},
        {"kind": "police", "agency": "agency-1"},
        *({claim: None} for claim in ("sub", "tenant", "kind", "amr", "exp", "iat", "jti")),
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_bad_claims_are_rejected(jwks: Jwks, overrides: dict[str, Any]) -> None:
    kid = jwks.add_key()
    with pytest.raises(InvalidToken):
        _verifier(jwks).verify(jwks.token(kid, **overrides))


def test_wrong_signature_is_rejected(jwks: Jwks) -> None:
    kid = jwks.add_key()
    forged = jwks.token(kid, key=Ed25519PrivateKey.generate())
    with pytest.raises(InvalidToken):
        _verifier(jwks).verify(forged)


def test_alg_none_is_rejected(jwks: Jwks) -> None:
    kid = jwks.add_key()
    claims = jwt.decode(jwks.token(kid), options={"verify_signature": False})
    token = _unsigned({"alg": "none", "kid": kid, "typ": "JWT"}, claims).decode() + "."
    with pytest.raises(InvalidToken):
        _verifier(jwks).verify(token)


def test_hs256_signed_with_the_public_key_is_rejected(jwks: Jwks) -> None:
    kid = jwks.add_key()
    claims = jwt.decode(jwks.token(kid), options={"verify_signature": False})
    public = jwks.keys[kid].public_key()
    pem = serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    for secret in (
        public.public_bytes_raw(),
        json.dumps(jwks.jwk(kid)).encode(),
        public.public_bytes(*pem),
    ):
        signing_input = _unsigned({"alg": "HS256", "kid": kid, "typ": "JWT"}, claims)
        mac = hmac.new(secret, signing_input, hashlib.sha256).digest()
        with pytest.raises(InvalidToken):
            _verifier(jwks).verify(f"{signing_input.decode()}.{_b64(mac)}")


def test_garbage_is_rejected(jwks: Jwks) -> None:
    with pytest.raises(InvalidToken):
        _verifier(jwks).verify("not.a.jwt")


def test_unknown_kid_triggers_exactly_one_refetch(jwks: Jwks) -> None:
    kid = jwks.add_key()
    verifier = _verifier(jwks)
    verifier.verify(jwks.token(kid))
    verifier.verify(jwks.token(kid))
    assert jwks.fetches == 1  # cached
    stranger = Ed25519PrivateKey.generate()
    for _ in range(20):  # a flood of made-up kids costs identity one fetch
        with pytest.raises(InvalidToken):
            verifier.verify(jwks.token(uuid.uuid4().hex, key=stranger))
    assert jwks.fetches == 2


def test_rotated_key_is_honoured_and_old_key_verifies_while_published(jwks: Jwks) -> None:
    old = jwks.add_key()
    verifier = _verifier(jwks, max_age=0.5, min_refetch_interval=0.1)
    old_token = jwks.token(old)
    verifier.verify(old_token)
    new = jwks.add_key()  # identity rotates: publishes the new key beside the old one
    assert verifier.verify(jwks.token(new)).account_id == "acc-1"
    assert jwks.fetches == 2
    assert verifier.verify(old_token).account_id == "acc-1"
    del jwks.keys[old]  # the old key is withdrawn; after the cache ages out it stops verifying
    time.sleep(0.6)
    with pytest.raises(InvalidToken):
        verifier.verify(old_token)
    assert verifier.verify(jwks.token(new)).account_id == "acc-1"


def test_unreachable_jwks_is_unavailable_not_invalid() -> None:
    kid_token = jwt.encode(
        {"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "k"}
    )
    verifier = TokenVerifier("http://127.0.0.1:9/jwks.json", timeout=0.5)
    with pytest.raises(JwksUnavailable):
        verifier.verify(kid_token)


def test_failed_refresh_keeps_the_known_keys(jwks: Jwks) -> None:
    kid = jwks.add_key()
    verifier = _verifier(jwks, max_age=0.1, min_refetch_interval=0.0)
    verifier.verify(jwks.token(kid))
    jwks.server.shutdown()
    jwks.server.server_close()
    time.sleep(0.2)
    assert verifier.verify(jwks.token(kid)).tenant == "met"


def test_require_principal_binds_the_tokens_tenant(jwks: Jwks) -> None:
    kid = jwks.add_key()
    router = APIRouter()

    @router.get("/demo/me")
    def me(principal: CurrentPrincipal) -> dict[str, str]:
        return {"account": principal.account_id, "tenant": current_tenant()}

    settings = ServiceSettings(service_name="demo", jwks_url=jwks.url, token_issuer=ISSUER)
    client = TestClient(create_app(settings, None, router))
    token = jwks.token(kid, tenant="city-of-london")
    response = client.get(
        "/demo/me", headers={"Authorization": f"Bearer {token}", "X-Tenant": "met"}
    )
    assert response.json() == {"account": "acc-1", "tenant": "city-of-london"}

    expired = jwks.token(kid, exp=int(time.time()) - 60)
    response = client.get("/demo/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
