"""Envelope encryption for personal data: AES-256-GCM fields under a per-account data key,
data keys wrapped by a key-encryption key (KEK) from configuration. Destroying a data key
makes every ciphertext under it unreadable for good (crypto-shredding).

KEK configuration: `id1:<base64url 32 bytes>,id2:<...>;active=id2`. Keep retired KEKs listed
until `rewrap` has moved every data key to the active one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_FIELD_VERSION = b"\x01"


class KeyUnavailable(Exception):
    """The blob was wrapped by a KEK this process does not have."""


class DecryptionFailed(Exception):
    """Wrong key, wrong context or tampered bytes: never served."""


class KeyWrapper(Protocol):
    """What wraps data keys; a cloud KMS can stand in for the local KEKs."""

    def wrap(self, data_key: bytes) -> bytes: ...

    def unwrap(self, blob: bytes) -> bytes: ...


def _b64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def new_data_key() -> bytes:
    return os.urandom(32)


class KeyEncryptionKeys:
    """The configured KEKs; wraps under the active one, unwraps under whichever wrapped."""

    def __init__(self, keys: dict[str, bytes], active_id: str) -> None:
        if active_id not in keys or any(len(k) != 32 for k in keys.values()):
            raise ValueError("KEKs must be 32 bytes and include the active one")
        self._keys, self.active_id = keys, active_id

    @classmethod
    def from_config(cls, value: str) -> KeyEncryptionKeys:
        listed, _, active = value.partition(";active=")
        keys = {kid: _b64(key) for kid, _, key in (p.partition(":") for p in listed.split(","))}
        return cls(keys, active)

    def wrap(self, data_key: bytes) -> bytes:
        kid = self.active_id.encode()
        nonce = os.urandom(12)
        sealed = AESGCM(self._keys[self.active_id]).encrypt(nonce, data_key, kid)
        return bytes([len(kid)]) + kid + nonce + sealed

    def unwrap(self, blob: bytes) -> bytes:
        if not blob:
            raise DecryptionFailed("no wrapped key")
        kid = blob[1 : 1 + blob[0]]
        key = self._keys.get(kid.decode(errors="replace"))
        if key is None:
            raise KeyUnavailable(f"KEK {kid!r} is not configured")
        rest = blob[1 + blob[0] :]
        try:
            return AESGCM(key).decrypt(rest[:12], rest[12:], kid)
        except InvalidTag as error:
            raise DecryptionFailed("wrapped key does not authenticate") from error

    def rewrap(self, blob: bytes) -> bytes:
        return self.wrap(self.unwrap(blob))


def generate_config(kid: str = "k1") -> str:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    return f"{kid}:{key};active={kid}"


def encrypt_field(data_key: bytes, plaintext: str, aad: bytes) -> bytes:
    nonce = os.urandom(12)
    return _FIELD_VERSION + nonce + AESGCM(data_key).encrypt(nonce, plaintext.encode(), aad)


def decrypt_field(data_key: bytes, blob: bytes, aad: bytes) -> str:
    if blob[:1] != _FIELD_VERSION:
        raise DecryptionFailed("unknown field format")
    try:
        return AESGCM(data_key).decrypt(blob[1:13], blob[13:], aad).decode()
    except InvalidTag as error:
        raise DecryptionFailed("field does not authenticate") from error


def blind_index(index_key: bytes, value: str) -> str:
    """A keyed hash for equality look-ups (emails) without keeping the value."""
    return hmac.new(index_key, value.strip().lower().encode(), hashlib.sha256).hexdigest()
