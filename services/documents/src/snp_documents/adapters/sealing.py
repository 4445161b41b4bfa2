"""Documents' use of the platform's sealing (snp_platform.sealing): texts bound to their
tenant, group, document (or list) and field; contents under keys derived for documents."""

from __future__ import annotations

from snp_platform import sealing
from snp_platform.sealing import (
    SALT_BYTES,
    DecryptionFailed,
    SegmentWriter,
    new_salt,
    open_text,
    seal_text,
)

__all__ = [
    "SALT_BYTES",
    "ContentCipher",
    "DecryptionFailed",
    "SegmentWriter",
    "new_salt",
    "open_text",
    "seal_text",
    "text_aad",
]
_CONTENT_INFO = b"snp-documents/content/v1"


def text_aad(tenant: str, group_id: str, owner_id: str, field: str) -> bytes:
    """Binds a sealed text to its tenant, group, document (or list) and field."""
    return f"snp-documents/{tenant}/{group_id}/{owner_id}/{field}".encode()


class ContentCipher(sealing.ContentCipher):
    """Seals and opens one document's segments; `aad` names the document (tenant, group, id)."""

    def __init__(self, group_key: bytes, salt: bytes, aad: bytes) -> None:
        super().__init__(group_key, salt, aad, info=_CONTENT_INFO)
