"""docs/audit.md says exactly which bytes are hashed and signed, with a worked example.

The example is checked twice: by an outsider's few lines that follow only the text of the
document (hashlib and `cryptography`, none of audit's code), and against what the service's
own signer produces, so the document can neither be vague nor drift from the code."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from snp_audit.adapters.signing import CheckpointSigner
from snp_audit.domain.checkpoints import key_id
from snp_audit.domain.merkle import Frontier, leaf_hash

DOC = Path(__file__).resolve().parents[3] / "docs" / "audit.md"
EXAMPLE_KEY = bytes(range(32))  # the document's "00 01 02 … 1f"


def example() -> dict[str, str]:
    text = DOC.read_text()
    block = re.search(r"<!-- audit-example:.*?-->\n```text\n(.*?)```", text, re.S)
    assert block, "docs/audit.md has lost its worked example"
    values = dict(
        (name.strip(), value.strip())
        for name, value in (line.split("=", 1) for line in block.group(1).splitlines())
    )
    return values


def signed_bytes(values: dict[str, str]) -> bytes:
    return values["signed_text"].replace("\\n", "\n").encode()


def test_an_outsider_verifies_the_example_from_the_text_alone() -> None:
    values = example()
    public = base64.b64decode(values["public_key"], validate=True)
    assert len(public) == 32
    assert hashlib.sha256(public).hexdigest()[:16] == values["key_id"]
    leaf = hashlib.sha256(b"\x00" + values["entry"].encode()).digest()
    assert leaf.hex() == values["leaf"]
    assert base64.b64encode(leaf).decode() == values["root_hash"]  # one leaf: the root
    lines = ["snp-audit checkpoint v1", values["tenant"], values["tree_size"]]
    built = ("\n".join([*lines, values["root_hash"], values["signed_at"]]) + "\n").encode()
    assert built == signed_bytes(values)
    assert built.endswith(b"\n") and built.count(b"\n") == 5
    Ed25519PublicKey.from_public_bytes(public).verify(base64.b64decode(values["signature"]), built)


def test_the_example_is_what_the_service_signs() -> None:
    values = example()
    signer = CheckpointSigner(base64.urlsafe_b64encode(EXAMPLE_KEY).decode())
    assert signer.public_key_text() == values["public_key"]
    assert key_id(signer.public_key) == signer.key_id == values["key_id"]
    tree = Frontier()
    tree.append(leaf_hash(values["entry"].encode()))
    signed_at = datetime.strptime(values["signed_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    checkpoint = signer.sign(values["tenant"], int(values["tree_size"]), tree.root(), signed_at)
    assert checkpoint.message() == signed_bytes(values)
    assert checkpoint.to_json() == {
        "tenant": values["tenant"],
        "tree_size": int(values["tree_size"]),
        "root_hash": values["root_hash"],
        "signed_at": values["signed_at"],
        "key_id": values["key_id"],
        "signature": values["signature"],
    }


def test_the_document_names_every_byte_rule() -> None:
    text = DOC.read_text()
    for rule in (
        "each ending with a newline",
        "`SHA-256(0x00 ‖ entry bytes)`",
        "first 16 hex characters (8 bytes) of the SHA-256",
        "pure Ed25519",
        "base64 with `=` padding",
    ):
        assert rule in text, rule
