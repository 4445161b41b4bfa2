"""Police attachments sealed at rest: what goes in comes out, nothing readable is stored, and
bytes moved to another attachment, cut short or altered do not open."""

from __future__ import annotations

import dataclasses

import pytest

from snp_messaging.adapters.attachment_sealing import SEGMENT_BYTES, AttachmentSeal
from snp_platform.keywrap import generate_config
from snp_platform.sealing import DecryptionFailed

SEAL = AttachmentSeal.from_config(generate_config("a1"))


def seal() -> AttachmentSeal:
    assert SEAL is not None
    return SEAL


@pytest.mark.parametrize(
    "size", [0, 1, SEGMENT_BYTES - 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 3 * SEGMENT_BYTES]
)
def test_what_is_sealed_opens_as_it_was_at_every_size(size: int) -> None:
    content = bytes(i % 251 for i in range(size))
    sealed = seal().seal("met", "a-1", content)
    assert seal().open("met", "a-1", sealed) == content
    if size >= 16:
        assert content[:16] not in sealed.ciphertext


def test_sealed_bytes_open_only_for_their_own_tenant_and_attachment() -> None:
    sealed = seal().seal("met", "a-1", b"%PDF-1.4 briefing")
    for tenant, attachment_id in [("kent", "a-1"), ("met", "a-2")]:
        with pytest.raises(DecryptionFailed):
            seal().open(tenant, attachment_id, sealed)


def test_content_cut_at_a_segment_boundary_or_altered_does_not_open() -> None:
    sealed = seal().seal("met", "a-1", b"x" * (2 * SEGMENT_BYTES + 10))
    cut = dataclasses.replace(sealed, ciphertext=sealed.ciphertext[: SEGMENT_BYTES + 16])
    with pytest.raises(DecryptionFailed):
        seal().open("met", "a-1", cut)
    flipped = bytearray(sealed.ciphertext)
    flipped[5] ^= 1
    with pytest.raises(DecryptionFailed):
        seal().open("met", "a-1", dataclasses.replace(sealed, ciphertext=bytes(flipped)))


def test_no_key_configured_means_no_seal() -> None:
    assert AttachmentSeal.from_config("  ") is None
