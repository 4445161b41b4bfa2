"""Sealing contents in segments and texts under a group key; the KEK wrapping of group keys."""

from __future__ import annotations

import base64
import os

import pytest

from snp_documents.adapters.sealing import (
    ContentCipher,
    DecryptionFailed,
    SegmentWriter,
    new_salt,
    open_text,
    seal_text,
)
from snp_platform.keywrap import ConfiguredKeks, KeyUnavailable, UnwrapFailed, generate_config

AAD = b"snp-documents/met/g1/d1/content"


def sealed_segments(data: bytes, key: bytes, salt: bytes, size: int = 4096) -> list[bytes]:
    writer = SegmentWriter(ContentCipher(key, salt, AAD), size)
    out: list[tuple[int, bytes]] = []
    for start in range(0, len(data), 1000):  # arbitrary arrival sizes
        out += writer.write(data[start : start + 1000])
    out += writer.finish()
    assert [i for i, _ in out] == list(range(len(out)))
    return [c for _, c in out]


def open_all(segments: list[bytes], key: bytes, salt: bytes, aad: bytes = AAD) -> bytes:
    cipher = ContentCipher(key, salt, aad)
    last = len(segments) - 1
    return b"".join(cipher.open(i, c, last=i == last) for i, c in enumerate(segments))


@pytest.mark.parametrize("length", [1, 4095, 4096, 4097, 3 * 4096, 50_000])
def test_segments_round_trip_and_hide_the_plaintext(length: int) -> None:
    key, salt, data = os.urandom(32), new_salt(), os.urandom(length)
    segments = sealed_segments(data, key, salt)
    assert len(segments) == max(1, -(-length // 4096))
    if length >= 16:  # a shorter random plaintext can turn up in random ciphertext by chance
        assert all(data[:32] not in s for s in segments)
    assert open_all(segments, key, salt) == data


def test_reordered_dropped_truncated_or_moved_segments_are_refused() -> None:
    key, salt = os.urandom(32), new_salt()
    segments = sealed_segments(os.urandom(20_000), key, salt)
    with pytest.raises(DecryptionFailed):
        open_all([segments[1], segments[0], *segments[2:]], key, salt)
    with pytest.raises(DecryptionFailed):  # the last segment dropped: the new last is not "last"
        open_all(segments[:-1], key, salt)
    with pytest.raises(DecryptionFailed):
        open_all(segments, key, salt, aad=b"snp-documents/met/g1/d2/content")
    with pytest.raises(DecryptionFailed):
        open_all(segments, os.urandom(32), salt)
    with pytest.raises(DecryptionFailed):
        open_all(segments, key, new_salt())


def test_a_flipped_bit_is_refused() -> None:
    key, salt = os.urandom(32), new_salt()
    segments = sealed_segments(b"minutes of the meeting" * 100, key, salt)
    tampered = bytearray(segments[0])
    tampered[5] ^= 1
    with pytest.raises(DecryptionFailed):
        open_all([bytes(tampered), *segments[1:]], key, salt)


def test_texts_are_bound_to_their_place() -> None:
    key = os.urandom(32)
    blob = seal_text(key, "Street party plans", b"title-of-d1")
    assert open_text(key, blob, b"title-of-d1") == "Street party plans"
    for wrong_key, aad in ((key, b"title-of-d2"), (os.urandom(32), b"title-of-d1")):
        with pytest.raises(DecryptionFailed):
            open_text(wrong_key, blob, aad)
    with pytest.raises(DecryptionFailed):
        open_text(key, blob[:-1], b"title-of-d1")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_kek_rotation_rewraps_without_touching_the_data_key() -> None:
    k1, k2 = os.urandom(32), os.urandom(32)
    old = ConfiguredKeks.from_config(f"k1:{b64(k1)};active=k1")
    data_key = os.urandom(32)
    blob = old.wrap(data_key)
    rotating = ConfiguredKeks.from_config(f"k1:{b64(k1)},k2:{b64(k2)};active=k2")
    assert rotating.unwrap(blob) == data_key
    rewrapped = rotating.wrap(rotating.unwrap(blob))
    new_only = ConfiguredKeks.from_config(f"k2:{b64(k2)};active=k2")
    assert new_only.unwrap(rewrapped) == data_key
    with pytest.raises(KeyUnavailable):  # the old blob needs the retired KEK
        new_only.unwrap(blob)
    impostor = ConfiguredKeks.from_config(f"k2:{b64(os.urandom(32))};active=k2")
    with pytest.raises(UnwrapFailed):  # same id, other bytes: a wrong key is refused
        impostor.unwrap(rewrapped)
    with pytest.raises(UnwrapFailed):
        new_only.unwrap(rewrapped[:-1])
    assert "k1" not in generate_config("k7")
