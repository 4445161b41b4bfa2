"""One chaos run on a stack: its people made, the workload at a steady rate, every fault
struck once at a random moment, then (the faults over) the platform left to settle and held
to its promises. Returns the figures and what broke."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from e2e.backup_world import settled, wait_until
from e2e.chaos import checks
from e2e.chaos.faults import Fault, Faults, every_fault
from e2e.chaos.workload import Workload
from e2e.load import world as load_world
from e2e.memory import memory_mib, memory_table

SETTLE_SECONDS = 300.0
# Tokens outlive the run and its checks: a person signed in once keeps going (as in the load
# test), and a 401 from an expired token would hide what the faults did.
STACK_ENV = {"SNP_ACCESS_TOKEN_LIFETIME_SECONDS": "14400"}


def chaos(
    stack: Any,
    seconds: float,
    rate: float,
    faults_to_strike: list[Fault] | None = None,
    residents: int = 40,
    groups: int = 6,
) -> checks.Findings:
    """`faults_to_strike` defaults to every fault (`every_fault`)."""
    print(
        f"== chaos: making {residents} residents in {groups} groups, police, auditors ==",
        flush=True,
    )
    people = load_world.build(stack, residents=residents, groups=groups, police=3, auditors=2)
    before = memory_mib(stack)
    faults = Faults(stack, faults_to_strike or every_fault(stack), seconds)
    workload = Workload(people, rate)
    print(
        f"== chaos: {rate:.0f} requests/s for {seconds:.0f} s, {len(faults.faults)} faults ==",
        flush=True,
    )
    began = time.monotonic()
    workload.start()
    faults.start()
    faults.join()
    time.sleep(max(0.0, began + seconds - time.monotonic()))
    workload.stop()
    found = checks.Findings()
    found.require(not faults.errors, f"components that did not come back: {faults.errors}")
    found.figures["recovery seconds"] = {
        w.fault.label: round(w.recovery_seconds, 1) for w in faults.windows
    }
    print("== chaos: faults over; waiting for the platform to settle ==", flush=True)
    found.figures["seconds to settle"] = _settling(
        stack, found, "every relay and consumer caught up", lambda: settled(stack)
    )
    checks.judge_answers(workload.answers, faults.windows, found)
    kills = sum(1 for w in faults.windows if w.fault.component in ("messaging-worker", "postgres"))
    _settling(stack, found, "every delivery served", lambda: _served(stack, workload))
    checks.judge_deliveries(stack, workload.effects, kills, found)
    checks.judge_events(stack, people.tenant, found)
    checks.judge_admissions(stack, workload.effects, found)
    checks.judge_documents(people, workload.effects, found)
    found.figures["memory"] = "\n" + memory_table(before, memory_mib(stack))
    return found


def _settling(
    stack: Any, found: checks.Findings, what: str, condition: Callable[[], bool]
) -> float:
    """Seconds until `condition` held; one that never does is a broken promise (the checks
    after it then say what is missing)."""
    try:
        return round(wait_until(condition, what, SETTLE_SECONDS), 1)
    except AssertionError as error:
        found.broken.append(str(error))
        return SETTLE_SECONDS


def _served(stack: Any, workload: Workload) -> bool:
    probe = checks.Findings()
    checks.judge_deliveries(stack, workload.effects, 10**6, probe)
    return not probe.broken


def report(found: checks.Findings) -> str:
    lines = ["", "== chaos: figures =="]
    lines += [f"{name}: {value}" for name, value in found.figures.items()]
    lines += [
        "",
        "== chaos: broken promises ==" if found.broken else "== chaos: every promise kept ==",
    ]
    lines += [f"- {what}" for what in found.broken]
    return "\n".join(lines)
