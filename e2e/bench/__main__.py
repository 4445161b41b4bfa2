"""Run the benchmarks on one throwaway stack: all of them, or those named
(`python -m e2e.bench identity`; `make bench BENCH=identity`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from e2e.bench import (
    audit,
    documents_transfer,
    event_backbone,
    identity_sign_in,
    membership_groups,
    messaging_fanout,
    portal_pages,
)
from snp_stack.testing import throwaway_stack

BENCHMARKS: dict[str, Callable[[Any], None]] = {
    "backbone": lambda stack: event_backbone.run(stack.database_url, stack.kafka_bootstrap),
    "identity": identity_sign_in.run,
    "membership": membership_groups.run,
    "documents": documents_transfer.run,
    "messaging": messaging_fanout.run,
    "audit": audit.run,
    "portal": portal_pages.run,
}


def main(names: list[str]) -> None:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; choose from {sorted(BENCHMARKS)}")
    with throwaway_stack() as stack:
        for name in names or list(BENCHMARKS):
            BENCHMARKS[name](stack)


if __name__ == "__main__":
    main(sys.argv[1:])
