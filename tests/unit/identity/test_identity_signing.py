"""EdDSA access tokens, key rotation and the JWKS, refresh tokens; checked against the
platform's own verifier the way every other service will use it."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from snp_identity.adapters.signing import (
    Keyring,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    new_signing_key,
    private_key_bytes,
    signing_key_from_bytes,
)
from snp_platform.tokens import InvalidToken, TokenVerifier

ISSUER = "snp-identity"
LIFETIME = 900


def _issue(ring: Keyring, now: float, **overrides: Any) -> tuple[str, str, int]:
    args: dict[str, Any] = {
        "subject": "a1",
        "tenant": "met",
        "kind": "police",
        "amr": ["pwd", "otp", "mfa"],
        "now": now,
        "issuer": ISSUER,
    }
    issued: tuple[str, str, int] = issue_access_token(ring, **(args | overrides))
    return issued


def _decode(ring: Keyring, token: str) -> dict[str, Any]:
    public = ring.active.private_key.public_key()
    claims: dict[str, Any] = jwt.decode(
        token, public, algorithms=["EdDSA"], options={"verify_exp": False}
    )
    return claims


def test_access_tokens_carry_the_claims_services_need() -> None:
    ring = Keyring([new_signing_key(1000.0)])
    token, jti, exp = _issue(ring, 1000.7)
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == ("EdDSA", ring.active.kid)
    assert _decode(ring, token) == {
        "sub": "a1",
        "tenant": "met",
        "kind": "police",
        "amr": ["pwd", "otp", "mfa"],
        "iat": 1000.7,  # milliseconds: revocations in the same second are told apart
        "exp": 1900,
        "jti": jti,
        "iss": ISSUER,
    }
    assert exp == 1900
    assert len(jti) == 32
    assert _issue(ring, 1000.0)[1] != jti


def test_shorter_lifetimes_are_honoured() -> None:
    ring = Keyring([new_signing_key(0.0)])
    _, _, exp = _issue(ring, 5000.0, lifetime_seconds=60)
    assert exp == 5060


@pytest.mark.parametrize(
    "overrides",
    [
        {"lifetime_seconds": 901},
        {"lifetime_seconds": 3600},
        {"lifetime_seconds": 0},
        {"kind": "superuser"},
        {"subject": ""},
        {"tenant": ""},
    ],
)
def test_tokens_every_verifier_would_reject_are_not_issued(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="access token"):
        _issue(Keyring([new_signing_key(0.0)]), 1000.0, **overrides)


def test_a_stored_key_signs_tokens_its_original_verifies() -> None:
    key = new_signing_key(10.0)
    raw = private_key_bytes(key)
    assert len(raw) == 32
    restored = signing_key_from_bytes(key.kid, raw, 10.0, None)
    token, _, _ = _issue(Keyring([restored]), 1000.0)
    jwt.decode(
        token, key.private_key.public_key(), algorithms=["EdDSA"], options={"verify_exp": False}
    )
    assert raw.hex() not in repr(restored)


def test_rotation_activates_a_new_key_and_retires_the_old_one() -> None:
    ring = Keyring([new_signing_key(0.0)])
    old = ring.active
    new = ring.rotate(now=100.0)
    assert ring.active == new != old
    assert new.created_at == 100.0
    assert {k.kid: k.retired_at for k in ring.keys} == {old.kid: 100.0, new.kid: None}
    assert jwt.get_unverified_header(_issue(ring, 150.0)[0])["kid"] == new.kid
    ring.rotate(now=200.0)
    assert {k.retired_at for k in ring.keys if k.kid == old.kid} == {100.0}  # kept, not reset


def test_jwks_keeps_retired_keys_while_their_tokens_may_be_valid() -> None:
    ring = Keyring([new_signing_key(0.0)])
    old = ring.active.kid
    new = ring.rotate(now=100.0).kid

    def kids(now: float) -> set[str]:
        return {k["kid"] for k in ring.jwks(now, LIFETIME)["keys"]}

    assert kids(500.0) == {old, new}
    assert kids(100.0 + LIFETIME - 1) == {old, new}
    assert kids(100.0 + LIFETIME) == {new}  # every token it signed has expired
    assert kids(5000.0) == {new}


def test_jwks_entries_are_rfc_8037_public_keys_only() -> None:
    ring = Keyring([new_signing_key(0.0)])
    (jwk,) = ring.jwks(0.0, LIFETIME)["keys"]
    assert set(jwk) == {"kty", "crv", "x", "kid", "use", "alg"}  # no "d": nothing private
    assert (jwk["kty"], jwk["crv"], jwk["use"], jwk["alg"]) == ("OKP", "Ed25519", "sig", "EdDSA")
    public = ring.active.private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert base64.urlsafe_b64decode(jwk["x"] + "=") == public
    assert "=" not in jwk["x"]


def test_a_ring_with_only_retired_keys_cannot_sign() -> None:
    ring = Keyring([signing_key_from_bytes("k", bytes(32), 0.0, 5.0)])
    with pytest.raises(LookupError):
        _ = ring.active


def test_refresh_tokens_are_random_and_stored_only_as_hashes() -> None:
    token, stored = new_refresh_token()
    again, _ = new_refresh_token()
    assert token != again
    assert len(base64.urlsafe_b64decode(token + "=")) == 32  # 256 bits, url-safe
    assert stored == hashlib.sha256(token.encode()).hexdigest() == hash_refresh_token(token)
    assert token not in stored
    assert hash_refresh_token("lone \ud800 surrogate")  # whatever a client sends hashes


class _JwksServer:
    """Identity's JWKS endpoint, served from a keyring with a clock the test controls."""

    def __init__(self, ring: Keyring) -> None:
        self.ring, self.now = ring, time.time()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps(server.ring.jwks(server.now, LIFETIME)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/identity/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(self.url, ISSUER, min_refetch_interval=0.0)

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def served() -> Iterator[_JwksServer]:
    server = _JwksServer(Keyring([new_signing_key()]))
    try:
        yield server
    finally:
        server.close()


def test_the_platform_verifier_accepts_issued_tokens_across_a_rotation(
    served: _JwksServer,
) -> None:
    verifier = served.verifier()
    before, jti, _ = _issue(served.ring, time.time(), kind="member", amr=["pwd"])
    principal = verifier.verify(before)
    assert (principal.account_id, principal.tenant, principal.kind) == ("a1", "met", "member")
    assert (principal.jti, principal.amr, principal.mfa) == (jti, ("pwd",), False)

    rotated_at = time.time()
    served.ring.rotate(rotated_at)
    after, _, _ = _issue(served.ring, time.time())
    assert verifier.verify(after).mfa  # the new kid makes the verifier refetch at once
    assert verifier.verify(before).jti == jti  # the old key is still published
    assert served.verifier().verify(before).jti == jti  # also for a verifier starting afresh

    # The retired key's tokens would all have expired by now (counted from the rotation itself:
    # on a loaded machine seconds may pass between the server's start and the rotation).
    served.now = rotated_at + LIFETIME + 1
    with pytest.raises(InvalidToken):
        served.verifier().verify(before)
    assert served.verifier().verify(after).account_id == "a1"


def test_the_platform_verifier_rejects_a_token_from_another_keyring(
    served: _JwksServer,
) -> None:
    stranger = Keyring([new_signing_key()])
    forged, _, _ = _issue(stranger, time.time(), kind="operator")
    with pytest.raises(InvalidToken):
        served.verifier().verify(forged)
