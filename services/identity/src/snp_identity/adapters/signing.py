"""EdDSA (Ed25519) access tokens, the keyring that signs them and its JWKS; refresh tokens."""

from __future__ import annotations

import base64
import hashlib
import math
import secrets
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from snp_platform.tokens import ACCOUNT_KINDS

MAX_ACCESS_LIFETIME = 900  # 15 minutes: a stolen access token is useful only that long
REFRESH_TOKEN_BYTES = 32  # 256 bits


@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 token-signing key; `retired_at` is set when a newer key took over."""

    kid: str
    private_key: Ed25519PrivateKey = field(repr=False)
    created_at: float
    retired_at: float | None = None

    def public_jwk(self) -> dict[str, str]:
        """The public half as an RFC 8037 OKP JWK."""
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        x = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": x,
            "kid": self.kid,
            "use": "sig",
            "alg": "EdDSA",
        }


def new_signing_key(now: float | None = None) -> SigningKey:
    """A fresh key with a random kid, created at `now` (default: the current time)."""
    created = time.time() if now is None else now
    return SigningKey(uuid.uuid4().hex, Ed25519PrivateKey.generate(), created)


def private_key_bytes(key: SigningKey) -> bytes:
    """The 32-byte raw private key, for storage (the caller encrypts it)."""
    return key.private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def signing_key_from_bytes(
    kid: str, raw: bytes, created_at: float, retired_at: float | None
) -> SigningKey:
    """Rebuild a stored key from `private_key_bytes` output."""
    return SigningKey(kid, Ed25519PrivateKey.from_private_bytes(raw), created_at, retired_at)


class Keyring:
    """Signing keys: the newest unretired one signs; retired ones stay published while tokens
    they signed may still be unexpired, so services never reject a valid token after a rotation."""

    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys = sorted(keys, key=lambda k: k.created_at)

    @property
    def active(self) -> SigningKey:
        """The key new tokens are signed with; LookupError if every key is retired."""
        live = [k for k in self.keys if k.retired_at is None]
        if not live:
            raise LookupError("no active signing key")
        return live[-1]

    def rotate(self, now: float) -> SigningKey:
        """Make a new key active and retire every other one at `now`; returns the new key."""
        retired = [k if k.retired_at is not None else replace(k, retired_at=now) for k in self.keys]
        new = new_signing_key(now)
        self.keys = [*retired, new]
        return new

    def published(self, now: float, max_token_lifetime: int) -> list[SigningKey]:
        """The active key and the retired keys whose tokens may not have expired yet."""
        return [
            k for k in self.keys if k.retired_at is None or k.retired_at + max_token_lifetime > now
        ]

    def jwks(self, now: float, max_token_lifetime: int) -> dict[str, list[dict[str, str]]]:
        """The JWK Set (RFC 7517) of the published keys, as served at /.well-known/jwks.json."""
        return {"keys": [k.public_jwk() for k in self.published(now, max_token_lifetime)]}


def issue_access_token(
    keyring: Keyring,
    *,
    subject: str,
    tenant: str,
    kind: str,
    amr: list[str],
    now: float,
    lifetime_seconds: int = MAX_ACCESS_LIFETIME,
    issuer: str,
    agency: str | None = None,
) -> tuple[str, str, int]:
    """(token, jti, exp) for an access token signed with the active key.

    Refuses what every service's verifier (snp_platform.tokens) would reject, so a bad token
    fails here, loudly, rather than as 401s everywhere else.
    """
    if not 0 < lifetime_seconds <= MAX_ACCESS_LIFETIME:
        raise ValueError("access tokens live at most 15 minutes (900 seconds)")
    if not (subject and tenant and issuer) or kind not in ACCOUNT_KINDS:
        raise ValueError("an access token needs a subject, tenant, issuer and known kind")
    if not all(isinstance(method, str) for method in amr):
        raise ValueError("amr must be a list of method names")
    if (kind == "partner") != bool(agency):
        raise ValueError("a partner token, and only a partner token, names its agency")
    key = keyring.active
    # iat in milliseconds (RFC 7519 allows a fraction): a token issued just after a revocation
    # in the same second must be honoured, and whole seconds could not tell it from one before.
    jti, iat = uuid.uuid4().hex, math.floor(now * 1000) / 1000
    exp = int(now) + lifetime_seconds
    claims: dict[str, Any] = {
        "sub": subject,
        "tenant": tenant,
        "kind": kind,
        "amr": list(amr),
        "iat": iat,
        "exp": exp,
        "jti": jti,
        "iss": issuer,
    }
    if agency:
        claims["agency"] = agency
    token = jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
    return token, jti, exp


def new_refresh_token() -> tuple[str, str]:
    """(opaque 256-bit url-safe token for the client, its SHA-256 hex for storage).

    Only the hash is stored, so a database leak yields no usable tokens; a fast hash suffices
    because the token is random, not chosen by a person.
    """
    token = secrets.token_urlsafe(REFRESH_TOKEN_BYTES)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    """The stored form of a refresh token presented by a client (SHA-256 hex)."""
    # surrogatepass: whatever a client sends hashes (to something that matches nothing).
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
