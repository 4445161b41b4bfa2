"""Verifying an export offline: signatures, positions, the chain, every checkpoint's root, and
consistency with an older checkpoint the auditor kept. Needs only the public key."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from snp_audit.domain.checkpoints import Checkpoint, unb64
from snp_audit.domain.merkle import Frontier, ProofError, verify_consistency
from snp_audit.domain.verification import ChainVerifier, Failure, SignatureCheck, Tampered


@dataclass
class Report:
    tenant: str = ""
    entries: int = 0
    checkpoints: int = 0
    tree_size: int = 0
    consistency_checked: bool = False
    failure: Failure | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failure is None


def _header(line: dict[str, Any], signature_ok: SignatureCheck) -> ChainVerifier:
    if line.get("kind") != "header" or not isinstance(line.get("tenant"), str):
        raise Tampered(Failure(None, "the export does not start with its header"))
    start = int(line["start"])
    prefix = [unb64(h) for h in line["prefix"]]
    return ChainVerifier(line["tenant"], signature_ok, Frontier(start, prefix), str(line["prev"]))


def verify_export(
    lines: Iterable[str], signature_ok: SignatureCheck, previous: Checkpoint | None = None
) -> Report:
    """Check every line; the report names the first failure (or none)."""
    report = Report()
    verifier: ChainVerifier | None = None
    latest: Checkpoint | None = None
    try:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                if verifier is None:
                    verifier = _header(line, signature_ok)
                    report.tenant, report.tree_size = verifier.tenant, int(line["tree_size"])
                elif line.get("kind") == "entry":
                    verifier.add(str(line["entry"]).encode())
                    report.entries += 1
                    if previous is not None and verifier.size == previous.tree_size:
                        _same_root(verifier, previous, signature_ok)
                        report.consistency_checked = True
                elif line.get("kind") == "checkpoint":
                    latest = Checkpoint.from_json(line)
                    verifier.check_checkpoint(latest)
                    report.checkpoints += 1
                elif line.get("kind") == "consistency":
                    _consistency(line, latest, signature_ok, previous)
                    report.consistency_checked = True
                else:
                    report.notes.append(f"line {number}: unknown kind {line.get('kind')!r}")
            except (KeyError, TypeError, ValueError) as error:
                index = verifier.size if verifier else None
                raise Tampered(Failure(index, f"line {number} is malformed: {error!r}")) from error
        _finish(report, verifier, latest, previous)
    except Tampered as tampered:
        report.failure = tampered.failure
    return report


def _finish(
    report: Report,
    verifier: ChainVerifier | None,
    latest: Checkpoint | None,
    previous: Checkpoint | None,
) -> None:
    if verifier is None:
        raise Tampered(Failure(None, "the export is empty"))
    if latest is None or latest.tree_size != report.tree_size or verifier.size != latest.tree_size:
        raise Tampered(
            Failure(
                verifier.size,
                f"the export ends at {verifier.size} entries without the signed checkpoint of"
                f" size {report.tree_size}: it was cut short",
            )
        )
    if previous is not None and not report.consistency_checked:
        raise Tampered(
            Failure(
                None,
                f"no consistency proof from your checkpoint of size {previous.tree_size}:"
                f" export again with ?since={previous.tree_size}",
            )
        )


def _same_root(verifier: ChainVerifier, previous: Checkpoint, signature_ok: SignatureCheck) -> None:
    """The auditor's older checkpoint falls inside the export: its root must be the root of
    the exported entries at that size."""
    if not signature_ok(previous):
        raise Tampered(Failure(None, "your previous checkpoint's signature does not verify"))
    if verifier.frontier.root() != previous.root_hash:
        raise Tampered(
            Failure(
                None,
                f"history was rewritten since your checkpoint of size {previous.tree_size}:"
                " the exported entries hash to another root",
            )
        )


def _consistency(
    line: dict[str, Any],
    latest: Checkpoint | None,
    signature_ok: SignatureCheck,
    previous: Checkpoint | None,
) -> None:
    first = Checkpoint.from_json(line["first"])
    if previous is not None and first != previous:
        raise Tampered(Failure(None, "the export proves consistency from another checkpoint"))
    if not signature_ok(first):
        raise Tampered(Failure(None, f"checkpoint at size {first.tree_size}: bad signature"))
    if latest is None or latest.tree_size != int(line["second_size"]):
        raise Tampered(Failure(None, "the consistency proof is not for the exported checkpoint"))
    try:
        path = [unb64(h) for h in line["path"]]
        verify_consistency(
            first.tree_size, latest.tree_size, first.root_hash, latest.root_hash, path
        )
    except ProofError as error:
        raise Tampered(
            Failure(None, f"history was rewritten since checkpoint {first.tree_size}: {error}")
        ) from error
