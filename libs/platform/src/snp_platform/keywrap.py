"""Key-encryption keys (KEKs) from configuration that wrap per-owner data keys.

Envelope encryption: data is sealed under a data key (per account, per group...), and the data
key is stored only wrapped by a KEK. A KEK rotation re-wraps the data keys under the new KEK and
touches no data. `KeyWrapper` is the one interface a cloud KMS can implement instead.

Configuration: `id1:<base64url 32 bytes>,id2:<base64url 32 bytes>;active=id2`. Ids are 1-64
characters of letters, digits, `_`, `-` and `.`; base64 padding is optional. Keep a retired KEK
listed until every data key wrapped by it has been re-wrapped under the active one.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES, NONCE_BYTES, TAG_BYTES = 32, 12, 16  # AES-256, GCM's 96-bit nonce, 128-bit tag
_KEK_ID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


class KeyUnavailable(Exception):
    """The blob was wrapped by a KEK this process is not configured with."""


class DecryptionFailed(Exception):
    """Wrong key, wrong context, truncated or tampered bytes: nothing is returned.

    The base of every refusal to open what was sealed under a key (`UnwrapFailed` here; a
    service's own sealed fields may raise it too), so one `except` covers both.
    """


class UnwrapFailed(DecryptionFailed):
    """Wrong KEK, truncated or tampered wrapped key: no key is returned."""


class KeyWrapper(Protocol):
    """What wraps data keys; a cloud KMS can stand in for the configured KEKs."""

    @property
    def active_id(self) -> str:
        """The id of the KEK that `wrap` uses now."""
        ...

    def wrap(self, data_key: bytes) -> bytes:
        """Encrypt a data key for storage; the blob names the KEK that wrapped it."""
        ...

    def unwrap(self, blob: bytes) -> bytes:
        """Recover a data key from `wrap`'s output (KeyUnavailable or UnwrapFailed)."""
        ...


def new_data_key() -> bytes:
    """A fresh random AES-256 data key."""
    return os.urandom(KEY_BYTES)


def _b64decode(text: str) -> bytes:
    # validate=True: a mistyped key must fail, not silently decode.
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


class ConfiguredKeks:
    """The configured KEKs: wrap under the active one, unwrap under whichever one wrapped.

    Blob: len(kid) (1 byte) | kid | nonce | AES-256-GCM(data key, aad=kid). The kid is in the
    clear so old blobs find their KEK after a rotation; as the AAD it cannot be relabelled.
    """

    def __init__(self, keys: Mapping[str, bytes], active_id: str) -> None:
        if any(not _KEK_ID.fullmatch(kid) for kid in keys):
            raise ValueError("KEK ids must be 1-64 characters of letters, digits, '_', '-', '.'")
        if any(len(key) != KEY_BYTES for key in keys.values()):
            raise ValueError(f"every KEK must be {KEY_BYTES} bytes")
        if active_id not in keys:
            raise ValueError(f"active KEK {active_id!r} is not among the configured ones")
        self._keys, self._active_id = dict(keys), active_id

    @property
    def active_id(self) -> str:
        """The id of the KEK new wraps use."""
        return self._active_id

    @classmethod
    def from_config(cls, value: str) -> ConfiguredKeks:
        """Parse the configuration format of this module's docstring (never echoes keys)."""
        listed, sep, active = value.strip().partition(";active=")
        if not sep:
            raise ValueError("KEK configuration must end with ';active=<id>'")
        keys: dict[str, bytes] = {}
        for number, item in enumerate(listed.split(","), start=1):
            kid, colon, encoded = (part.strip() for part in item.partition(":"))
            if not colon or kid in keys:
                raise ValueError(f"KEK entry {number} is not 'id:key' or repeats an id")
            try:
                keys[kid] = _b64decode(encoded)
            except (binascii.Error, ValueError):
                raise ValueError(f"KEK {kid!r} is not base64url") from None
        return cls(keys, active.strip())

    def wrap(self, data_key: bytes) -> bytes:
        """Encrypt `data_key` under the active KEK."""
        return self.seal(data_key)

    def unwrap(self, blob: bytes) -> bytes:
        """The data key in `blob`; KeyUnavailable or UnwrapFailed otherwise."""
        return self.open(blob)

    def seal(self, data: bytes, context: bytes = b"") -> bytes:
        """Encrypt short data (a data key, a session's tokens) under the active KEK, bound to
        `context` (e.g. the row's id): opened with another context it does not authenticate,
        so a sealed value cannot be moved to another row."""
        kid = self._active_id.encode("ascii")
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._keys[self._active_id]).encrypt(nonce, data, _aad(kid, context))
        return bytes([len(kid)]) + kid + nonce + sealed

    def open(self, blob: bytes, context: bytes = b"") -> bytes:
        """What `seal` sealed under the same context; KeyUnavailable or UnwrapFailed otherwise."""
        kid = wrapped_by(blob)
        key = self._keys.get(kid)
        if key is None:
            raise KeyUnavailable(f"KEK {kid!r} is not configured")
        rest = blob[1 + blob[0] :]
        if len(rest) < NONCE_BYTES + TAG_BYTES:
            raise UnwrapFailed("wrapped key is truncated")
        aad = _aad(kid.encode(), context)
        try:
            return AESGCM(key).decrypt(rest[:NONCE_BYTES], rest[NONCE_BYTES:], aad)
        except InvalidTag:
            raise UnwrapFailed("wrapped key does not authenticate") from None

    def rewrap(self, blob: bytes) -> bytes:
        """`blob`'s data key wrapped under the active KEK (after a KEK rotation)."""
        return self.wrap(self.unwrap(blob))


def _aad(kid: bytes, context: bytes) -> bytes:
    # Without a context the AAD is the kid alone, as data keys wrapped before contexts were.
    return kid if not context else kid + b"\x00" + context


def wrapped_by(blob: bytes) -> str:
    """The id of the KEK that wrapped `blob` (lets a rotation find blobs to re-wrap)."""
    if not blob or len(blob) < 1 + blob[0]:
        raise UnwrapFailed("wrapped key is truncated")
    kid = blob[1 : 1 + blob[0]].decode("ascii", errors="replace")
    if not _KEK_ID.fullmatch(kid):
        raise UnwrapFailed("wrapped key names no valid KEK")
    return kid


def generate_config(kid: str = "k1") -> str:
    """A fresh single-KEK configuration string, for development and tests."""
    key = base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii").rstrip("=")
    return f"{kid}:{key};active={kid}"
