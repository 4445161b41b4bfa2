"""Checkpoints: a tenant's tree size and Merkle root at a moment, as the text that is signed.

The signed text names what it is, so a signature over anything else (another tenant's head, a
different size) never verifies as this one.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from snp_audit.domain.entries import parse_timestamp, timestamp

HEADER = "snp-audit checkpoint v1"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def key_id(public_key: bytes) -> str:
    """A short name for a public key: the first 8 bytes of its SHA-256, in hex."""
    return hashlib.sha256(public_key).hexdigest()[:16]


@dataclass(frozen=True)
class Checkpoint:
    tenant: str
    tree_size: int
    root_hash: bytes
    signed_at: datetime
    key_id: str
    signature: bytes

    def message(self) -> bytes:
        return signed_text(self.tenant, self.tree_size, self.root_hash, self.signed_at)

    def to_json(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "tree_size": self.tree_size,
            "root_hash": b64(self.root_hash),
            "signed_at": timestamp(self.signed_at),
            "key_id": self.key_id,
            "signature": b64(self.signature),
        }

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Checkpoint:
        try:
            return cls(
                tenant=str(document["tenant"]),
                tree_size=int(document["tree_size"]),
                root_hash=unb64(document["root_hash"]),
                signed_at=parse_timestamp(document["signed_at"]),
                key_id=str(document["key_id"]),
                signature=unb64(document["signature"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a checkpoint: {error!r}") from error


def signed_text(tenant: str, tree_size: int, root_hash: bytes, signed_at: datetime) -> bytes:
    lines = (HEADER, tenant, str(tree_size), b64(root_hash), timestamp(signed_at))
    return ("\n".join(lines) + "\n").encode()
