"""Offline verification of identity's EdDSA access tokens against its published JWKS."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from snp_platform.logging import get_logger
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.revocations import RevocationList
from snp_platform.tenancy import bind_tenant

ACCOUNT_KINDS = frozenset(
    {"member", "area_coordinator", "police", "tenant_admin", "auditor", "operator", "partner"}
)
REQUIRED_CLAIMS = ("sub", "tenant", "kind", "amr", "exp", "iat", "jti")
_log = get_logger(__name__)


class InvalidToken(Exception):
    """The token is malformed, expired, wrongly signed or lacks claims (answered 401)."""


class JwksUnavailable(Exception):
    """No signing keys could be fetched yet (identity unreachable; answered 503)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling, as proved by a verified access token."""

    account_id: str
    tenant: str
    kind: str
    amr: tuple[str, ...]
    jti: str
    expires_at: datetime
    issued_at: datetime
    # The partner agency a `partner` account acts for (its id); None for every other kind.
    agency: str | None = None

    @property
    def mfa(self) -> bool:
        """Whether the sign-in satisfied a second factor."""
        return "mfa" in self.amr or "otp" in self.amr


AccessToken = Principal


class JwksCache:
    """Identity's Ed25519 public keys by `kid`, refreshed every `max_age` seconds.

    An unknown kid forces a refetch (a rotated key is honoured at once), but at most once per
    `min_refetch_interval`, so a flood of tokens with made-up kids cannot hammer identity. A
    failed refresh keeps the keys already known: an identity blip must not log everyone out.
    """

    def __init__(
        self,
        url: str,
        *,
        max_age: float = 300.0,
        min_refetch_interval: float = 10.0,
        timeout: float = 2.0,
    ) -> None:
        self._url, self._max_age = url, max_age
        # One client for the verifier's life: building one (TLS context) costs ~100 ms.
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)
        self._min_interval = min_refetch_interval
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._fetched_at: float | None = None
        self._last_attempt: float | None = None
        self._last_forced: float | None = None
        self._lock = threading.Lock()

    def key(self, kid: str) -> Ed25519PublicKey:
        """The public key for `kid`; raises InvalidToken or JwksUnavailable."""
        with self._lock:
            now = time.monotonic()
            stale = self._fetched_at is None or now - self._fetched_at >= self._max_age
            retry_ok = self._last_attempt is None or now - self._last_attempt >= self._min_interval
            attempted = stale and retry_ok
            if attempted:
                self._fetch(now)
            key = self._keys.get(kid)
            may_force = self._last_forced is None or now - self._last_forced >= self._min_interval
            if key is None and not attempted and self._fetched_at is not None and may_force:
                self._last_forced = now
                self._fetch(now)
                key = self._keys.get(kid)
            if self._fetched_at is None:
                raise JwksUnavailable("no signing keys fetched yet")
        if key is None:
            raise InvalidToken("unknown key id")
        return key

    def _fetch(self, now: float) -> None:
        self._last_attempt = now
        try:
            response = self._http.get(self._url)
            response.raise_for_status()
            keys: dict[str, Ed25519PublicKey] = {}
            for jwk in response.json()["keys"]:
                # Only Ed25519 signing keys; anything else in the set is ignored, never trusted.
                usable = jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519"
                if usable and "kid" in jwk and jwk.get("use", "sig") == "sig":
                    x = jwt.utils.base64url_decode(jwk["x"])
                    keys[str(jwk["kid"])] = Ed25519PublicKey.from_public_bytes(x)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            _log.warning("jwks fetch failed", url=self._url, error=type(exc).__name__)
            return
        self._keys, self._fetched_at = keys, now


class TokenVerifier:
    """Verifies access tokens: EdDSA only, required claims present and well typed."""

    def __init__(
        self,
        jwks_url: str,
        issuer: str | None = None,
        leeway: float = 5.0,
        *,
        audience: str | None = None,
        max_age: float = 300.0,
        min_refetch_interval: float = 10.0,
        timeout: float = 2.0,
    ) -> None:
        self._keys = JwksCache(
            jwks_url, max_age=max_age, min_refetch_interval=min_refetch_interval, timeout=timeout
        )
        self._issuer, self._leeway, self._audience = issuer, leeway, audience

    def verify(self, token: str) -> Principal:
        """Return the token's principal; raise InvalidToken (or JwksUnavailable)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise InvalidToken("malformed token") from exc
        # Decide the algorithm ourselves before touching keys: `none`, HS256-with-the-public-key
        # and every other alg confusion dies here.
        if header.get("alg") != "EdDSA" or not isinstance(header.get("kid"), str):
            raise InvalidToken("algorithm or key id not allowed")
        key = self._keys.key(header["kid"])
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["EdDSA"],
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.InvalidTokenError as exc:
            raise InvalidToken(type(exc).__name__) from exc
        return _principal(claims)


def _principal(claims: dict[str, Any]) -> Principal:
    amr = claims["amr"]
    texts = (claims["sub"], claims["tenant"], claims["kind"], claims["jti"])
    if not all(isinstance(v, str) and v for v in texts) or claims["kind"] not in ACCOUNT_KINDS:
        raise InvalidToken("bad subject, tenant, kind or jti claim")
    if not isinstance(amr, list) or not all(isinstance(m, str) for m in amr):
        raise InvalidToken("bad amr claim")
    agency = claims.get("agency")
    if (claims["kind"] == "partner") != (isinstance(agency, str) and bool(agency)):
        raise InvalidToken("a partner token, and only a partner token, names its agency")
    return Principal(
        account_id=claims["sub"],
        tenant=claims["tenant"],
        kind=claims["kind"],
        amr=tuple(amr),
        jti=claims["jti"],
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        issued_at=datetime.fromtimestamp(claims["iat"], UTC),
        agency=agency,
    )


async def require_principal(request: Request) -> Principal:
    """FastAPI dependency: the verified caller of `Authorization: Bearer <token>`.

    Uses `app.state.token_verifier` (create_app sets it from `jwks_url`) and binds the token's
    tenant as the current tenant.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(
            401,
            detail="A bearer access token is required.",
            type_uri=PROBLEM_TYPE_BASE + "unauthenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    verifier: TokenVerifier | None = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise RuntimeError("no token verifier: set SNP_JWKS_URL or pass token_verifier")
    # Off the event loop: a cache miss fetches the JWKS over the network.
    principal = await run_in_threadpool(verifier.verify, token.strip())
    revocations: RevocationList | None = getattr(request.app.state, "revocations", None)
    if revocations is not None and await run_in_threadpool(
        revocations.is_revoked, principal.tenant, principal.account_id, principal.issued_at
    ):
        raise Problem(
            401,
            detail="This access token has been revoked; sign in again.",
            type_uri=PROBLEM_TYPE_BASE + "token-revoked",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    # Bound here, in the request's task, so the endpoint and log lines see it.
    bind_tenant(principal.tenant)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]
