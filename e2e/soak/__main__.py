"""`make soak`: a throwaway stack under the chaos run's steady mixed workload, with no faults,
for SNP_SOAK_MINUTES (30) at SNP_SOAK_RATE requests/s (10). After a warm-up minute, and at the
end, it samples every process's resident memory and open file descriptors and each service's
connections to PostgreSQL; it prints them side by side and fails if any process grew by 10 %
or more, or any count of descriptors or connections grew (a leak)."""

from __future__ import annotations

import os
import time

from e2e.chaos.checks import Findings, judge_answers
from e2e.chaos.run import STACK_ENV
from e2e.chaos.workload import Workload
from e2e.load import world as load_world
from e2e.soak.samples import Sample, growth_table, leaks, sample
from snp_stack.testing import throwaway_stack

WARM_UP_SECONDS = 60.0
MEMORY_GROWTH_LIMIT = 0.10


def main() -> None:
    minutes = float(os.environ.get("SNP_SOAK_MINUTES", "30"))
    rate = float(os.environ.get("SNP_SOAK_RATE", "10"))
    with throwaway_stack(env={**os.environ, **STACK_ENV}) as stack:
        print("== soak: making 60 residents in 8 groups, police, auditors ==", flush=True)
        people = load_world.build(stack, residents=60, groups=8, police=3, auditors=2)
        workload = Workload(people, rate)
        workload.start()
        time.sleep(WARM_UP_SECONDS)
        first: Sample = sample(stack)
        print(
            f"== soak: {rate:.0f} requests/s for {minutes:.0f} min after a warm-up ==", flush=True
        )
        time.sleep(minutes * 60)
        last: Sample = sample(stack)
        workload.stop()
    found = Findings()
    judge_answers(workload.answers, [], found)
    print(growth_table(first, last))
    broken = leaks(first, last, MEMORY_GROWTH_LIMIT) + found.broken
    rate_failed = found.figures["error rate outside outages"]
    print(f"\nrequests: {len(workload.answers)}, failed: {rate_failed}")
    print("\n== soak: " + ("leaks and failures ==" if broken else "no leak, no failure =="))
    for what in broken:
        print(f"- {what}")
    if broken:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
