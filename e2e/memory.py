"""Resident memory of every process a stack started, for the runs that print it before and
after (the load test, the chaos and soak runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def memory_mib(stack: Any) -> dict[str, float]:
    """Resident memory of each process the stack started, from /proc."""
    found = {}
    for component in stack.components:
        if component.pid is None:
            continue
        try:
            status = Path(f"/proc/{component.pid}/status").read_text()
        except FileNotFoundError:
            continue
        kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
        found[component.name] = int(kib) / 1024
    return found


def memory_table(before: dict[str, float], after: dict[str, float]) -> str:
    lines = ["| process | RSS at start MiB | RSS at end MiB | growth |", "|---|---:|---:|---:|"]
    for name, start in before.items():
        end = after.get(name, 0.0)
        lines.append(f"| {name} | {start:,.0f} | {end:,.0f} | {(end - start) / start:+.0%} |")
    return "\n".join(lines)
