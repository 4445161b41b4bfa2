"""Authorization: one decision over HTTP, asked the way every service asks (the platform's
pooled OpaClient, keep-alive, the stack's OPA with its decision logs going to audit), beside
`opa bench` evaluating the same query on the same policy folder and input in the same run.
Goal (issue 19): p99 over HTTP within 2x `opa bench`'s p99."""

from __future__ import annotations

import statistics
import time
from typing import Any

from e2e.bench.limits import opa_bench
from e2e.bench.ratios import Figure, Results, within_limit
from snp_platform.opa import OpaClient
from snp_stack.stack import repo_root

DECISIONS = 3000
QUERY = "data.snp.authz.decision"

# A group's chair deciding a join request: what admitting a member asks.
SUBJECT = {
    "id": "acct-chair",
    "kind": "member",
    "tenant": "bench",
    "mfa": False,
    "group_roles": {"g-bench": ["chair", "member"]},
}
ACTION = "membership.join.decide"
RESOURCE = {
    "type": "group",
    "id": "g-bench",
    "tenant": "bench",
    "group_id": "g-bench",
    "group_type": "neighbourhood_watch",
    "visibility": "public",
    "status": "active",
    "group_directory": "members",
}


def http_latencies(opa_url: str, count: int) -> list[float]:
    """Seconds per decision, one after another on one pooled client (after a warm-up)."""
    samples: list[float] = []
    with OpaClient(opa_url) as opa:
        for _ in range(100):
            opa.decide(SUBJECT, ACTION, RESOURCE)
        for _ in range(count):
            started = time.perf_counter()
            decision = opa.decide(SUBJECT, ACTION, RESOURCE)
            samples.append(time.perf_counter() - started)
            if not decision.allow:
                raise SystemExit(f"the bench's decision was refused: {decision.reasons}")
    return samples


def run(stack: Any, results: Results) -> None:
    print("== authorization ==")
    samples = http_latencies(stack.opa_url, DECISIONS)
    cuts = statistics.quantiles(samples, n=100)
    policy_input: dict[str, object] = {"subject": SUBJECT, "action": ACTION, "resource": RESOURCE}
    limit = opa_bench(repo_root() / "policies", QUERY, policy_input)
    for label, value, bound in (("p50", cuts[49], limit.p50_ms), ("p99", cuts[98], limit.p99_ms)):
        results.add(
            Figure(
                f"one OPA decision over HTTP ({ACTION}), {label}",
                value * 1000,
                "ms",
                bound,
                f"opa bench, same policy and input, {label}",
                within_limit(2) if label == "p99" else None,
                lower_is_better=True,
            )
        )
