"""Envelope encryption for personal data, and crypto-shredding.

Each account's fields are sealed with AES-256-GCM under the account's own data key; the data
key is stored only wrapped by a key-encryption key (KEK) from configuration. Destroying an
account's wrapped data key makes every ciphertext under it unreadable for good, wherever copies
of those ciphertexts live (events, backups): that is how erasure reaches an append-only log.

The KEKs, their configuration (SNP_KEKS) and the wrapped-key format are the platform's
(`snp_platform.keywrap`, shared with documents); this module names them as identity always has
(`KeyEncryptionKeys`, and `DecryptionFailed` for a field or a wrapped key that does not open).
Keep a retired KEK listed until `rewrap` has moved every data key to the active one.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from snp_platform.keywrap import (
    KEY_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    DecryptionFailed,
    KeyUnavailable,
    KeyWrapper,
    UnwrapFailed,
    generate_config,
    new_data_key,
    wrapped_by,
)
from snp_platform.keywrap import ConfiguredKeks as KeyEncryptionKeys

__all__ = [
    "KEY_BYTES",
    "NONCE_BYTES",
    "TAG_BYTES",
    "DecryptionFailed",
    "KeyEncryptionKeys",
    "KeyUnavailable",
    "KeyWrapper",
    "UnwrapFailed",
    "blind_index",
    "decrypt_field",
    "encrypt_field",
    "generate_config",
    "new_data_key",
    "wrapped_by",
]

_FIELD_VERSION = b"\x01"  # field blob: version | nonce | ciphertext+tag


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
