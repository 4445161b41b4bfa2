"""`snp-audit verify export.ndjson --public-key KEY [--previous-checkpoint FILE]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from snp_audit.adapters.signing import CheckpointVerifier
from snp_audit.domain.checkpoints import Checkpoint
from snp_audit.service_layer.verify import verify_export


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("export", type=Path, help="an NDJSON export ('-' for standard input)")
    parser.add_argument(
        "--public-key",
        required=True,
        help="the audit service's public key (base64, or a file holding it)",
    )
    parser.add_argument(
        "--previous-checkpoint",
        type=Path,
        help="a checkpoint (JSON) you kept from before: prove the log only grew since",
    )


def run_verify(args: argparse.Namespace) -> int:
    try:
        signature_ok = CheckpointVerifier.from_text(args.public_key)
        previous = None
        if args.previous_checkpoint:
            previous = Checkpoint.from_json(json.loads(args.previous_checkpoint.read_text()))
    except (OSError, ValueError) as error:
        print(f"cannot start: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    if str(args.export) == "-":
        report = verify_export(sys.stdin, signature_ok, previous)
    else:
        try:
            with args.export.open(encoding="utf-8") as lines:
                report = verify_export(lines, signature_ok, previous)
        except OSError as error:
            print(f"cannot read the export: {error}", file=sys.stderr)
            return 2
    took = time.perf_counter() - started
    if report.failure is not None:
        print(f"FAILED {report.failure}")
        print(f"  tenant {report.tenant!r}, {report.entries} entries checked before it")
        return 1
    proven = " and consistent with your earlier checkpoint" if report.consistency_checked else ""
    print(
        f"OK tenant {report.tenant!r}: {report.entries} entries, {report.checkpoints} signed"
        f" checkpoints, tree size {report.tree_size}{proven} ({took:.1f} s)"
    )
    return 0
