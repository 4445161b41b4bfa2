"""AES-256-GCM under a data key (a group's, a report's): short texts, and file contents in
segments. Documents seal group documents with it, engagement residents' reports and photos.

Contents are sealed as a stream of fixed-size segments (the STREAM construction of Hoang,
Reyhanitabar, Rogaway and Vizár, as in Tink's streaming AEAD and age): each file gets its own
key, derived with HKDF-SHA256 from the data key and a random per-file salt, and segment i
is sealed with the nonce `i (8 bytes) | 0 0 0 | last flag`. So each segment authenticates on its
own (a stream is decrypted one segment at a time, never whole), and reordering, dropping,
duplicating or truncating segments, or moving them to another file, all fail to decrypt.
Each user names its own HKDF `info` (documents: `snp-documents/content/v1`), so keys derived
for one purpose never open another's.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from snp_platform.keywrap import KEY_BYTES, NONCE_BYTES, TAG_BYTES

SALT_BYTES = 32
_TEXT_VERSION = b"\x01"  # sealed text: version | nonce | ciphertext+tag


class DecryptionFailed(Exception):
    """Wrong key, wrong place, reordered, truncated or tampered bytes: nothing is returned."""


def _check_key(key: bytes) -> None:
    # AESGCM would quietly take a 16- or 24-byte key; only AES-256 is intended.
    if len(key) != KEY_BYTES:
        raise ValueError(f"data keys are {KEY_BYTES} bytes")


def seal_text(group_key: bytes, text: str, aad: bytes) -> bytes:
    _check_key(group_key)
    nonce = os.urandom(NONCE_BYTES)
    return _TEXT_VERSION + nonce + AESGCM(group_key).encrypt(nonce, text.encode(), aad)


def open_text(group_key: bytes, blob: bytes, aad: bytes) -> str:
    _check_key(group_key)
    if blob[:1] != _TEXT_VERSION or len(blob) < 1 + NONCE_BYTES + TAG_BYTES:
        raise DecryptionFailed("not a sealed text")
    try:
        plain = AESGCM(group_key).decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], aad)
    except InvalidTag:
        raise DecryptionFailed("sealed text does not authenticate") from None
    return plain.decode()


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def _nonce(index: int, last: bool) -> bytes:
    if not 0 <= index < 2**63:
        raise ValueError("segment index out of range")
    return index.to_bytes(8, "big") + b"\x00\x00\x00" + (b"\x01" if last else b"\x00")


class ContentCipher:
    """Seals and opens one file's segments; `aad` names the file (e.g. tenant, group, id) and
    `info` the purpose the per-file key is derived for."""

    def __init__(self, group_key: bytes, salt: bytes, aad: bytes, *, info: bytes) -> None:
        _check_key(group_key)
        if len(salt) != SALT_BYTES:
            raise DecryptionFailed("bad content salt")
        hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info + aad)
        self._aead = AESGCM(hkdf.derive(group_key))
        self._aad = aad

    def seal(self, index: int, plaintext: bytes, *, last: bool) -> bytes:
        return self._aead.encrypt(_nonce(index, last), plaintext, self._aad)

    def open(self, index: int, ciphertext: bytes, *, last: bool) -> bytes:
        try:
            return self._aead.decrypt(_nonce(index, last), ciphertext, self._aad)
        except InvalidTag:
            raise DecryptionFailed(f"segment {index} does not authenticate") from None


class SegmentWriter:
    """Cuts a byte stream into fixed-size segments and seals them, holding at most two.

    The last segment is only known at the end, so one full segment is kept back until more
    bytes (or the end) arrive; `write` and `finish` return the sealed segments ready to store.
    """

    def __init__(self, cipher: ContentCipher, segment_bytes: int) -> None:
        self._cipher, self._size = cipher, segment_bytes
        self._buffer = bytearray()
        self._next_index = 0

    def write(self, data: bytes) -> list[tuple[int, bytes]]:
        self._buffer += data
        sealed: list[tuple[int, bytes]] = []
        # Strictly more than one segment buffered: the first is surely not the last.
        while len(self._buffer) > self._size:
            segment = bytes(self._buffer[: self._size])
            del self._buffer[: self._size]
            sealed.append(
                (self._next_index, self._cipher.seal(self._next_index, segment, last=False))
            )
            self._next_index += 1
        return sealed

    def finish(self) -> list[tuple[int, bytes]]:
        """Seal what is left as the last segment (an empty stream is one empty last segment)."""
        index, segment = self._next_index, bytes(self._buffer)
        self._buffer.clear()
        self._next_index += 1
        return [(index, self._cipher.seal(index, segment, last=True))]

    @property
    def segments(self) -> int:
        return self._next_index
