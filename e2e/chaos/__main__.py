"""`make chaos`: a throwaway stack under a steady mixed workload while Kafka, PostgreSQL, OPA
and every service role fail in turn; prints requests served, the error rate outside the
outages, each component's time to recover, memory before and after, and every promise broken
(exit 1 if any). Knobs: SNP_CHAOS_MINUTES (10), SNP_CHAOS_RATE (requests/s, 10)."""

from __future__ import annotations

import os

from e2e.chaos.run import STACK_ENV, chaos, report
from snp_stack.testing import throwaway_stack


def main() -> None:
    minutes = float(os.environ.get("SNP_CHAOS_MINUTES", "10"))
    rate = float(os.environ.get("SNP_CHAOS_RATE", "10"))
    with throwaway_stack(env={**os.environ, **STACK_ENV}) as stack:
        found = chaos(stack, minutes * 60, rate)
    print(report(found))
    if found.broken:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
