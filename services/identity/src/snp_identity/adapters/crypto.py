"""Envelope encryption for personal data, and crypto-shredding.

Each account's fields are sealed with AES-256-GCM under the account's own data key; the data
key is stored only wrapped by a key-encryption key (KEK) from configuration. Destroying an
account's wrapped data key makes every ciphertext under it unreadable for good, wherever copies
of those ciphertexts live (events, backups): that is how erasure reaches an append-only log.

KEK configuration (SNP_KEKS): `id1:<base64url 32 bytes>,id2:<base64url 32 bytes>;active=id2`.
Ids are 1-64 characters of letters, digits, `_`, `-` and `.`; base64 padding is optional.
Keep a retired KEK listed until `rewrap` has moved every data key to the active one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES, NONCE_BYTES, TAG_BYTES = 32, 12, 16  # AES-256, GCM's 96-bit nonce, 128-bit tag
_FIELD_VERSION = b"\x01"  # field blob: version | nonce | ciphertext+tag
_KEK_ID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


class KeyUnavailable(Exception):
    """The blob was wrapped by a KEK this process is not configured with."""


class DecryptionFailed(Exception):
    """Wrong key, wrong context, truncated or tampered bytes: nothing is returned."""


class KeyWrapper(Protocol):
    """What wraps data keys; a cloud KMS can stand in for the configured KEKs."""

    def wrap(self, data_key: bytes) -> bytes:
        """Encrypt a data key for storage."""
        ...

    def unwrap(self, blob: bytes) -> bytes:
        """Recover a data key from `wrap`'s output."""
        ...


def new_data_key() -> bytes:
    """A fresh random AES-256 key for one account."""
    return os.urandom(KEY_BYTES)


def _b64decode(text: str) -> bytes:
    # validate=True: a mistyped key must fail, not silently decode (the lenient default drops
    # characters outside the alphabet).
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


class KeyEncryptionKeys:
    """The configured KEKs: wraps under the active one, unwraps under whichever one wrapped.

    Wrapped blob: len(kid) (1 byte) | kid | nonce | AES-256-GCM(data key, aad=kid). The kid is
    in the clear so that after a rotation old blobs still find their KEK; it is also the AAD,
    so relabelling a blob with another kid fails authentication.
    """

    def __init__(self, keys: Mapping[str, bytes], active_id: str) -> None:
        if any(not _KEK_ID.fullmatch(kid) for kid in keys):
            raise ValueError("KEK ids must be 1-64 characters of letters, digits, '_', '-', '.'")
        if any(len(key) != KEY_BYTES for key in keys.values()):
            raise ValueError(f"every KEK must be {KEY_BYTES} bytes")
        if active_id not in keys:
            raise ValueError(f"active KEK {active_id!r} is not among the configured ones")
        self._keys, self.active_id = dict(keys), active_id

    @classmethod
    def from_config(cls, value: str) -> KeyEncryptionKeys:
        """Parse the configuration format described in this module's docstring."""
        listed, sep, active = value.strip().partition(";active=")
        if not sep:
            raise ValueError("KEK configuration must end with ';active=<id>'")
        keys: dict[str, bytes] = {}
        for number, item in enumerate(listed.split(","), start=1):
            kid, colon, encoded = (part.strip() for part in item.partition(":"))
            # Entries are named by position: without a colon, the "id" may be the key itself.
            if not colon or kid in keys:
                raise ValueError(f"KEK entry {number} is not 'id:key' or repeats an id")
            try:
                keys[kid] = _b64decode(encoded)
            except (binascii.Error, ValueError):
                # Never echo the value: it is key material.
                raise ValueError(f"KEK {kid!r} is not base64url") from None
        return cls(keys, active.strip())

    def wrap(self, data_key: bytes) -> bytes:
        """Encrypt `data_key` under the active KEK; the result names that KEK."""
        kid = self.active_id.encode("ascii")
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self._keys[self.active_id]).encrypt(nonce, data_key, kid)
        return bytes([len(kid)]) + kid + nonce + sealed

    def unwrap(self, blob: bytes) -> bytes:
        """The data key in `blob`; KeyUnavailable or DecryptionFailed otherwise."""
        kid = wrapped_by(blob)
        key = self._keys.get(kid)
        if key is None:
            raise KeyUnavailable(f"KEK {kid!r} is not configured")
        rest = blob[1 + blob[0] :]
        if len(rest) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionFailed("wrapped key is truncated")
        try:
            return AESGCM(key).decrypt(rest[:NONCE_BYTES], rest[NONCE_BYTES:], kid.encode())
        except InvalidTag:
            raise DecryptionFailed("wrapped key does not authenticate") from None

    def rewrap(self, blob: bytes) -> bytes:
        """`blob`'s data key wrapped under the active KEK (after a KEK rotation)."""
        return self.wrap(self.unwrap(blob))


def wrapped_by(blob: bytes) -> str:
    """The id of the KEK that wrapped `blob` (lets a rotation job find blobs to rewrap)."""
    if not blob or len(blob) < 1 + blob[0]:
        raise DecryptionFailed("wrapped key is truncated")
    kid = blob[1 : 1 + blob[0]].decode("ascii", errors="replace")
    if not _KEK_ID.fullmatch(kid):
        raise DecryptionFailed("wrapped key names no valid KEK")
    return kid


def generate_config(kid: str = "k1") -> str:
    """A fresh single-KEK configuration string, for development and tests."""
    key = base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii").rstrip("=")
    return f"{kid}:{key};active={kid}"


def _check_data_key(data_key: bytes) -> None:
    # AESGCM would quietly accept a 16- or 24-byte key; only AES-256 is intended here.
    if len(data_key) != KEY_BYTES:
        raise ValueError(f"data keys are {KEY_BYTES} bytes")


def encrypt_field(data_key: bytes, plaintext: str, aad: bytes) -> bytes:
    """Seal one field. `aad` must name where the value belongs (tenant, account, field) so the
    blob cannot be copied into another account or field and still decrypt."""
    _check_data_key(data_key)
    nonce = os.urandom(NONCE_BYTES)  # random 96-bit nonces: safe far beyond one account's writes
    return _FIELD_VERSION + nonce + AESGCM(data_key).encrypt(nonce, plaintext.encode(), aad)


def decrypt_field(data_key: bytes, blob: bytes, aad: bytes) -> str:
    """Open a field sealed by `encrypt_field` with the same key and `aad`, or DecryptionFailed."""
    _check_data_key(data_key)
    if blob[:1] != _FIELD_VERSION:
        raise DecryptionFailed("unknown field format")
    if len(blob) < 1 + NONCE_BYTES + TAG_BYTES:
        raise DecryptionFailed("field is truncated")
    nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(data_key).decrypt(nonce, sealed, aad).decode()
    except InvalidTag:
        raise DecryptionFailed("field does not authenticate") from None


def blind_index(index_key: bytes, value: str) -> str:
    """HMAC-SHA256 (hex) of a normalised email, to find an account without storing the email.

    Keyed, so a leaked table cannot be matched against a list of known addresses without the key.
    """
    if len(index_key) < 16:
        raise ValueError("the blind index key must be at least 16 bytes")
    normalised = value.strip().lower()
    return hmac.new(index_key, normalised.encode(), hashlib.sha256).hexdigest()
