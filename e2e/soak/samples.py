"""What a soak run samples of each process the stack started: resident memory, open file
descriptors, and (per service) connections to PostgreSQL; and how it judges two samples."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import psycopg

from e2e.memory import memory_mib


@dataclass(frozen=True)
class Sample:
    memory_mib: dict[str, float]
    descriptors: dict[str, int]
    connections: dict[str, int]  # per database (service)


def _descriptors(pid: int) -> int | None:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, PermissionError):
        return None


def sample(stack: Any) -> Sample:
    descriptors = {}
    for component in stack.components:
        if component.pid is not None and (count := _descriptors(component.pid)) is not None:
            descriptors[component.name] = count
    with psycopg.connect(stack.database_url) as conn:
        rows = conn.execute(
            "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL"
            " AND pid <> pg_backend_pid() GROUP BY datname"
        ).fetchall()
    return Sample(memory_mib(stack), descriptors, {str(d): int(n) for d, n in rows})


def leaks(first: Sample, last: Sample, memory_limit: float) -> list[str]:
    """Processes that grew by `memory_limit` or more; descriptors or connections that grew."""
    found = []
    for name, start in first.memory_mib.items():
        end = last.memory_mib.get(name, start)
        if (end - start) / start >= memory_limit:
            found.append(f"{name}: memory {start:.0f} -> {end:.0f} MiB")
    for kind, before, after in (
        ("descriptors", first.descriptors, last.descriptors),
        ("connections", first.connections, last.connections),
    ):
        for name, start in before.items():
            if after.get(name, start) > start:
                found.append(f"{name}: {kind} {start} -> {after[name]}")
    return found


def growth_table(first: Sample, last: Sample) -> str:
    lines = [
        "| process | RSS MiB | RSS after | growth | open fds | fds after |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, start in first.memory_mib.items():
        end = last.memory_mib.get(name, 0.0)
        fds, fds_after = first.descriptors.get(name, 0), last.descriptors.get(name, 0)
        grew = (end - start) / start
        lines.append(f"| {name} | {start:,.0f} | {end:,.0f} | {grew:+.0%} | {fds} | {fds_after} |")
    lines += ["", "| database | connections | after |", "|---|---:|---:|"]
    for name, count in sorted(first.connections.items()):
        lines.append(f"| {name} | {count} | {last.connections.get(name, 0)} |")
    return "\n".join(lines)
