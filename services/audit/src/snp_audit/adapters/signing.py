"""The Ed25519 key that signs checkpoints, and checking signatures with a public key.

The private key comes from configuration (`SNP_AUDIT_SIGNING_KEY`: 32 raw bytes, base64url; a
Kubernetes Secret in production). Public keys are published as base64 of their 32 raw bytes.
"""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from snp_audit.domain.checkpoints import Checkpoint, key_id, signed_text


def _decode(text: str) -> bytes:
    text = text.strip()
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))


class CheckpointSigner:
    def __init__(self, private_key: str) -> None:
        try:
            self._key = Ed25519PrivateKey.from_private_bytes(_decode(private_key))
        except ValueError as error:
            raise ValueError("the audit signing key is not 32 bytes of base64") from error
        self.public_key = self._key.public_key().public_bytes_raw()
        self.key_id = key_id(self.public_key)

    def sign(self, tenant: str, tree_size: int, root: bytes, signed_at: datetime) -> Checkpoint:
        signature = self._key.sign(signed_text(tenant, tree_size, root, signed_at))
        return Checkpoint(tenant, tree_size, root, signed_at, self.key_id, signature)

    def public_key_text(self) -> str:
        return base64.b64encode(self.public_key).decode()


class CheckpointVerifier:
    """Checks checkpoint signatures against one published public key."""

    def __init__(self, public_key: bytes) -> None:
        self._key = Ed25519PublicKey.from_public_bytes(public_key)
        self.key_id = key_id(public_key)

    @classmethod
    def from_text(cls, text: str) -> CheckpointVerifier:
        """From the key's base64 text, or a file holding it."""
        candidate = Path(text)
        if len(text) < 200 and candidate.is_file():
            text = candidate.read_text()
        return cls(_decode(text))

    def __call__(self, checkpoint: Checkpoint) -> bool:
        if checkpoint.key_id != self.key_id:
            return False
        try:
            self._key.verify(checkpoint.signature, checkpoint.message())
        except InvalidSignature:
            return False
        return True
