"""Run the benchmarks on one throwaway stack: all of them, or those named
(`python -m e2e.bench identity`; `make bench BENCH=identity`). Each figure is printed as it is
measured, beside the limit measured in the same run; the run ends with one table of them all
(path, figure, limit, ratio, goal), also when a benchmark failed."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any

from e2e.bench import (
    audit,
    authorization,
    documents_transfer,
    event_backbone,
    identity_sign_in,
    membership_groups,
    messaging_fanout,
    portal_pages,
)
from e2e.bench.ratios import Results
from snp_stack.testing import throwaway_stack

BENCHMARKS: dict[str, Callable[[Any, Results], None]] = {
    "backbone": lambda stack, results: event_backbone.run(
        stack.database_url, stack.kafka_bootstrap, results
    ),
    "authorization": authorization.run,
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
    results = Results()
    with throwaway_stack() as stack:
        for name in names or list(BENCHMARKS):
            try:
                BENCHMARKS[name](stack, results)
            except Exception:  # the others still run, and the table still shows what was measured
                traceback.print_exc()
                results.failed.append(name)
    print("\n== every figure beside its limit, measured in this run ==")
    print(results.table())
    if results.failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
