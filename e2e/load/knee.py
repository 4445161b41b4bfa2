"""Where the platform's knee is: the ramp's steps (users, requests, latency per endpoint, as
Locust measured each step afresh) and the last step whose p95 stayed within the limit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

TOTAL = "all requests"


@dataclass(frozen=True)
class Endpoint:
    name: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


@dataclass(frozen=True)
class Step:
    users: int
    seconds: float
    endpoints: tuple[Endpoint, ...]
    total: Endpoint

    @property
    def rps(self) -> float:
        return self.total.requests / self.seconds if self.seconds else 0.0

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Step:
        return cls(
            users=int(raw["users"]),
            seconds=float(raw["seconds"]),
            endpoints=tuple(Endpoint(**e) for e in raw["endpoints"]),
            total=Endpoint(**raw["total"]),
        )


def knee(steps: Sequence[Step], p95_limit_ms: float) -> Step | None:
    """The last step before the first whose p95 passed the limit: the most load the platform
    carried within it. None when even the first step did not. Failures do not move the knee;
    they are counted below it (the goal is none)."""
    within = None
    for step in steps:
        if step.total.p95_ms > p95_limit_ms:
            break
        within = step
    return within


def passed_limit(steps: Sequence[Step], p95_limit_ms: float) -> bool:
    """Whether the ramp went far enough to find the knee (rather than stopping at its top)."""
    return any(s.total.p95_ms > p95_limit_ms for s in steps)


def failures_below(steps: Sequence[Step], at: Step | None) -> int:
    """Failed requests in the steps up to and including the knee (the goal is none)."""
    failed = 0
    for step in steps if at is not None else ():
        failed += step.total.failures
        if step is at:
            break
    return failed


def steps_table(steps: Sequence[Step]) -> str:
    lines = [
        "| users | requests/s | p50 ms | p95 ms | p99 ms | failures |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {s.users} | {s.rps:,.1f} | {s.total.p50_ms:,.0f} | {s.total.p95_ms:,.0f}"
        f" | {s.total.p99_ms:,.0f} | {s.total.failures} |"
        for s in steps
    ]
    return "\n".join(lines)


def endpoints_table(step: Step) -> str:
    lines = [
        "| endpoint | requests/s | p50 ms | p95 ms | p99 ms | failures |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for e in sorted(step.endpoints, key=lambda e: -e.requests):
        lines.append(
            f"| {e.name} | {e.requests / step.seconds:,.1f} | {e.p50_ms:,.0f} | {e.p95_ms:,.0f}"
            f" | {e.p99_ms:,.0f} | {e.failures} |"
        )
    return "\n".join(lines)
