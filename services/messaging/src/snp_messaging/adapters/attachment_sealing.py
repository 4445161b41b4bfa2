"""Police attachments at rest get the documents treatment: each has its own data key, stored
only wrapped by messaging's attachment KEK (SNP_ATTACHMENT_KEKS), and its content is kept as
sealed segments back to back (snp_platform.sealing). A copy of the database, or a backup of it,
holds no attachment in the clear."""

from __future__ import annotations

from dataclasses import dataclass

from snp_platform.keywrap import TAG_BYTES, ConfiguredKeks, KeyWrapper, new_data_key
from snp_platform.sealing import ContentCipher, SegmentWriter, new_salt

SEGMENT_BYTES = 64 * 1024
_SEALED_SEGMENT_BYTES = SEGMENT_BYTES + TAG_BYTES
_INFO = b"snp-messaging/attachment/v1"


class AttachmentsUnavailable(Exception):
    """No attachment KEK is configured: nothing can be sealed, so no attachment is taken (503)."""


@dataclass(frozen=True)
class SealedAttachment:
    wrapped_key: bytes
    salt: bytes
    ciphertext: bytes  # the sealed segments, each SEGMENT_BYTES + tag but the last


def _aad(tenant: str, attachment_id: str) -> bytes:
    """Binds the content to its tenant and attachment: moved to another row, it fails to open."""
    return f"snp-messaging/attachment/{tenant}/{attachment_id}".encode()


class AttachmentSeal:
    def __init__(self, wrapper: KeyWrapper) -> None:
        self._wrapper = wrapper

    @classmethod
    def from_config(cls, keks: str) -> AttachmentSeal | None:
        """The seal for SNP_ATTACHMENT_KEKS' value; None when it is empty."""
        return cls(ConfiguredKeks.from_config(keks)) if keks.strip() else None

    def seal(self, tenant: str, attachment_id: str, content: bytes) -> SealedAttachment:
        key, salt = new_data_key(), new_salt()
        cipher = ContentCipher(key, salt, _aad(tenant, attachment_id), info=_INFO)
        writer = SegmentWriter(cipher, SEGMENT_BYTES)
        segments = writer.write(content) + writer.finish()
        return SealedAttachment(
            self._wrapper.wrap(key), salt, b"".join(sealed for _index, sealed in segments)
        )

    def open(self, tenant: str, attachment_id: str, sealed: SealedAttachment) -> bytes:
        """The content, every segment authenticated (sealing.DecryptionFailed otherwise)."""
        key = self._wrapper.unwrap(sealed.wrapped_key)
        cipher = ContentCipher(key, sealed.salt, _aad(tenant, attachment_id), info=_INFO)
        blob = sealed.ciphertext
        # Cut short at a segment's end, the new last one was sealed as "not last": it fails.
        starts = range(0, max(len(blob), 1), _SEALED_SEGMENT_BYTES)
        last = len(starts) - 1
        return b"".join(
            cipher.open(i, blob[start : start + _SEALED_SEGMENT_BYTES], last=i == last)
            for i, start in enumerate(starts)
        )
