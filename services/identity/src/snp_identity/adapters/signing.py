"""EdDSA (Ed25519) access tokens, the keyring that signs them and its JWKS, refresh tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass, replace

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

MAX_ACCESS_LIFETIME = 900  # 15 minutes


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey
    created_at: float
    retired_at: float | None = None


def new_signing_key(now: float = 0.0) -> SigningKey:
    return SigningKey(uuid.uuid4().hex, Ed25519PrivateKey.generate(), now)


def private_key_bytes(key: SigningKey) -> bytes:
    return key.private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def signing_key_from_bytes(
    kid: str, raw: bytes, created_at: float, retired_at: float | None
) -> SigningKey:
    return SigningKey(kid, Ed25519PrivateKey.from_private_bytes(raw), created_at, retired_at)


class Keyring:
    """Signing keys; the newest unretired one signs, retired ones stay published a while."""

    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys = sorted(keys, key=lambda k: k.created_at)

    @property
    def active(self) -> SigningKey:
        live = [k for k in self.keys if k.retired_at is None]
        if not live:
            raise LookupError("no active signing key")
        return live[-1]

    def rotate(self, now: float) -> SigningKey:
        new = new_signing_key(now)
        self.keys = [replace(k, retired_at=k.retired_at or now) for k in self.keys] + [new]
        return new

    def published(self, now: float, max_token_lifetime: int) -> list[SigningKey]:
        return [
            k for k in self.keys if k.retired_at is None or k.retired_at + max_token_lifetime > now
        ]

    def jwks(self, now: float, max_token_lifetime: int) -> dict[str, list[dict[str, str]]]:
        def jwk(key: SigningKey) -> dict[str, str]:
            raw = key.private_key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            x = base64.urlsafe_b64encode(raw).decode().rstrip("=")
            return {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": x,
                "kid": key.kid,
                "use": "sig",
                "alg": "EdDSA",
            }

        return {"keys": [jwk(k) for k in self.published(now, max_token_lifetime)]}


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
) -> tuple[str, str, int]:
    """(token, jti, exp) for a short-lived access token signed by the active key."""
    if not 0 < lifetime_seconds <= MAX_ACCESS_LIFETIME:
        raise ValueError("access tokens live at most 15 minutes")
    key = keyring.active
    jti, exp = uuid.uuid4().hex, int(now) + lifetime_seconds
    claims = {
        "sub": subject,
        "tenant": tenant,
        "kind": kind,
        "amr": amr,
        "iat": int(now),
        "exp": exp,
        "jti": jti,
        "iss": issuer,
    }
    token = jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
    return token, jti, exp


def new_refresh_token() -> tuple[str, str]:
    """(opaque token for the client, SHA-256 hex kept by identity)."""
    token = secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode()).hexdigest()
