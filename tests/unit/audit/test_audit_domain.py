"""Entries, decision records and the offline verifier, without infrastructure."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from snp_audit.adapters.signing import CheckpointSigner, CheckpointVerifier
from snp_audit.domain.checkpoints import Checkpoint, b64
from snp_audit.domain.decisions import NotADecision, to_record
from snp_audit.domain.entries import GENESIS, Record, decode_entry, encode_entry, entry_hash
from snp_audit.domain.merkle import Frontier, leaf_hash
from snp_audit.service_layer.verify import verify_export

KEY = base64.urlsafe_b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode()
SIGNER = CheckpointSigner(KEY)
VERIFIER = CheckpointVerifier(SIGNER.public_key)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def record(i: int, tenant: str = "met") -> Record:
    return Record(tenant, "event", "identity", "identity.X", f"ref-{i}", f"a{i}", "s", NOW)


def export(size: int, checkpoint_every: int = 4) -> list[str]:
    """An export as the service writes it (see service_layer/export.py)."""
    lines = [
        json.dumps(
            {"kind": "header", "tenant": "met", "start": 0, "prev": GENESIS, "prefix": [],
             "tree_size": size, "public_key": SIGNER.public_key_text()}
        )
    ]  # fmt: skip
    frontier, prev = Frontier(), GENESIS
    for i in range(size):
        data = encode_entry(record(i), i, prev, NOW)
        prev = entry_hash(data)
        frontier.append(leaf_hash(data))
        lines.append(json.dumps({"kind": "entry", "index": i, "entry": data.decode()}))
        if frontier.size % checkpoint_every == 0 or frontier.size == size:
            cp = SIGNER.sign("met", frontier.size, frontier.root(), NOW)
            lines.append(json.dumps({"kind": "checkpoint", **cp.to_json()}))
    return lines


def entry_of(line: str) -> dict[str, object]:
    return decode_entry(json.loads(line)["entry"].encode())


def test_entries_are_canonical_and_chained() -> None:
    first = encode_entry(record(0), 0, GENESIS, NOW)
    second = encode_entry(record(1), 1, entry_hash(first), NOW)
    assert first == encode_entry(record(0), 0, GENESIS, NOW)  # same input, same bytes
    assert b" " not in first and decode_entry(second)["prev"] == entry_hash(first)
    assert list(json.loads(first)) == sorted(json.loads(first))


def test_an_intact_export_verifies() -> None:
    report = verify_export(export(10), VERIFIER)
    assert report.ok, report.failure
    assert (report.entries, report.checkpoints, report.tree_size) == (10, 3, 10)


def test_each_kind_of_tampering_names_the_first_bad_entry() -> None:
    lines = export(10)
    changed = list(lines)
    changed[4] = changed[4].replace('\\"a3\\"', '\\"zz\\"')  # entry 3's actor
    assert str(verify_export(changed, VERIFIER).failure).startswith("entry 3:")
    removed = [line for line in lines if '"index": 5' not in line]
    assert str(verify_export(removed, VERIFIER).failure).startswith("entry 5:")
    cut = [line for line in lines if not line.startswith('{"kind": "checkpoint"')][:8]
    failure = verify_export(cut, VERIFIER).failure
    assert failure is not None and "cut short" in failure.reason


@pytest.mark.parametrize("changed_index", [3, 7, 9])  # last before a checkpoint; the very last
def test_a_changed_entry_that_no_later_entry_links_to_is_named_not_a_range(
    changed_index: int,
) -> None:
    lines = export(10)  # checkpoints at 4, 8 and 10
    position = next(i for i, line in enumerate(lines) if f'"index": {changed_index},' in line)
    changed = list(lines)
    changed[position] = changed[position].replace(f'\\"a{changed_index}\\"', '\\"zz\\"')
    assert changed != lines
    if changed_index == 9:
        changed = changed[: position + 2]  # nothing after the last checkpoint
    failure = verify_export(changed, VERIFIER).failure
    assert failure is not None and failure.index == changed_index, failure
    assert failure.reason.startswith("was changed")


def test_a_changed_prefix_of_a_partial_export_is_not_blamed_on_an_entry_alone() -> None:
    lines = export(8)
    header = json.loads(lines[0])
    full = [json.loads(line) for line in lines[1:]]
    entries = [line for line in full if line["kind"] == "entry"]
    partial_header = header | {
        "start": 4,
        "prev": entry_hash(entries[3]["entry"].encode()),
        "prefix": [b64(b"\x01" * 32)],  # not the real root of entries 0..3
    }
    rest = [json.dumps(line) for line in full if line.get("index", line.get("tree_size")) >= 4]
    rest = [line for line in rest if '"tree_size": 4,' not in line]
    failure = verify_export([json.dumps(partial_header), *rest], VERIFIER).failure
    assert failure is not None and failure.index == 7 and "prefix" in failure.reason


def test_a_forged_or_foreign_signature_is_refused() -> None:
    lines = export(4)
    forged = json.loads(lines[-1])
    forged["signature"] = b64(Ed25519PrivateKey.generate().sign(b"x"))
    failure = verify_export([*lines[:-1], json.dumps(forged)], VERIFIER).failure
    assert failure is not None and "bad signature" in failure.reason
    other = CheckpointVerifier(Ed25519PrivateKey.generate().public_key().public_bytes_raw())
    assert not verify_export(lines, other).ok


def test_a_kept_checkpoint_inside_the_export_must_match_it() -> None:
    lines = export(8)
    kept = Checkpoint.from_json(json.loads(lines[5]))  # the checkpoint at size 4
    assert verify_export(lines, VERIFIER, kept).consistency_checked
    other = SIGNER.sign("met", 4, b"\x00" * 32, NOW)  # signed, but over another history
    failure = verify_export(lines, VERIFIER, other).failure
    assert failure is not None and "rewritten" in failure.reason


def test_decisions_keep_ids_and_kinds_and_drop_everything_else() -> None:
    item = {
        "decision_id": "d-1",
        "path": "snp/authz/decision",
        "timestamp": "2026-11-21T12:00:00.123456789Z",
        "requested_by": "10.0.0.7:5123",
        "input": {
            "subject": {"id": "acct-1", "kind": "police", "tenant": "met", "mfa": True},
            "action": "membership.members.read",
            "resource": {"type": "group", "id": "g", "tenant": "met", "email": "a@b.example"},
        },
        "result": {"allow": False, "reasons": ["cross_tenant"]},
    }
    made = to_record(item)
    assert (made.tenant, made.actor, made.subject, made.service) == (
        "met",
        "acct-1",
        "group:g",
        "membership",
    )
    assert made.occurred_at == datetime(2026, 11, 21, 12, 0, 0, 123456, tzinfo=UTC)
    text = json.dumps(made.attrs)
    assert "a@b.example" not in text and "10.0.0.7" not in text
    assert made.attrs["allow"] is False and made.attrs["reasons"] == ["cross_tenant"]
    with pytest.raises(NotADecision):
        to_record(item | {"path": "system/main"})
    with pytest.raises(NotADecision):
        to_record(item | {"timestamp": "yesterday"})
