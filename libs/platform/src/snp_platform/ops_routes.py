"""Every service's operations routes, for operators (the portal's platform health page):
the service's readiness, its relay's lag, each of its consumer groups' lag and dead letters,
and replaying them; its projections and their rebuilds (ops_projections.py). Counts,
positions, offsets, event types and failure reasons only: never a payload, a key or anything
about a person. Each asks OPA with the caller's token
(`platform.health.read`, `platform.dead_letters.read`, `platform.dead_letters.replay`,
`platform.projection.rebuild`); the resource is the service, in the operator's own tenant.

The dead letter code is the one `snp-events dlq` runs (deadletters.py), not a second copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, Field

from snp_platform.authz import authorize
from snp_platform.consumer_lag import lag_per_topic
from snp_platform.deadletters import list_dead_letters, replay_dead_letters
from snp_platform.health import run_checks
from snp_platform.opa import OpaClient
from snp_platform.ops_projections import add_projection_routes
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.rebuilds import Rebuildable
from snp_platform.relay import relay_backlog
from snp_platform.tokens import CurrentPrincipal, Principal

# What the routes need from the service: its database pool and its OPA client.
OpsAccess = Callable[[Request], tuple[ConnectionPool[Any], OpaClient]]
KAFKA_TIMEOUT = 5.0


class ReplayIn(BaseModel):
    offsets: list[int] | None = Field(
        default=None, description="these dead letters again; none: every one not yet replayed"
    )


def ops_router(
    service: str,
    access: OpsAccess,
    consumer_groups: Mapping[str, Sequence[str]],
    relay: bool = True,
    projections: Sequence[Rebuildable] = (),
) -> APIRouter:
    """`/<service>/ops/...` for a service whose consumer groups read these topics (names, or
    `^` regular expressions), that has an outbox relay (`relay`) and these `projections`."""
    router = APIRouter(prefix=f"/{service}/ops", tags=["operators"])

    def allow(request: Request, who: Principal, action: str) -> None:
        _pool, opa = access(request)
        authorize(opa, who, action, {"type": "service", "id": service, "tenant": who.tenant})

    def known(group: str) -> str:
        if group not in consumer_groups:
            raise Problem(
                404, detail="No such consumer group.", type_uri=PROBLEM_TYPE_BASE + "not-found"
            )
        return group

    @router.get("/health")
    def health(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
        """Readiness, relay lag, and each consumer group's lag and dead letters."""
        allow(request, who, "platform.health.read")
        pool, _opa = access(request)
        results = run_checks(request.app.state.readiness_checks)
        backlog = None
        if relay:
            with pool.connection() as conn:
                backlog = relay_backlog(conn, service)
        bootstrap = request.app.state.settings.kafka_bootstrap
        return {
            "service": service,
            "ready": all(ok for ok, _ in results.values()),
            "checks": {
                name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()
            },
            "relay": backlog,
            "consumer_groups": [
                _group_health(bootstrap, group, topics) for group, topics in consumer_groups.items()
            ],
        }

    @router.get("/dead-letters/{group}")
    def dead_letters(request: Request, group: str, who: CurrentPrincipal) -> dict[str, Any]:
        allow(request, who, "platform.dead_letters.read")
        bootstrap = request.app.state.settings.kafka_bootstrap
        letters = _kafka(lambda: list_dead_letters(bootstrap, known(group), KAFKA_TIMEOUT))
        return {"group": group, "dead_letters": [d.summary() for d in letters]}

    @router.post("/dead-letters/{group}/replay")
    def replay(
        request: Request, group: str, body: ReplayIn, who: CurrentPrincipal
    ) -> dict[str, Any]:
        """Send dead letters back to their topic, as `snp-events dlq replay` does."""
        allow(request, who, "platform.dead_letters.replay")
        bootstrap = request.app.state.settings.kafka_bootstrap
        offsets = set(body.offsets) if body.offsets is not None else None
        done = _kafka(lambda: replay_dead_letters(bootstrap, known(group), offsets, KAFKA_TIMEOUT))
        return {"group": group, "replayed": [d.offset for d in done]}

    add_projection_routes(router, access, allow, projections)
    return router


def _group_health(bootstrap: str, group: str, topics: Sequence[str]) -> dict[str, Any]:
    report: dict[str, Any] = {"group": group, "lag": None, "dead_letters": None, "waiting": None}
    try:
        report["lag"] = lag_per_topic(bootstrap, group, topics, KAFKA_TIMEOUT)
        letters = list_dead_letters(bootstrap, group, KAFKA_TIMEOUT)
    except Exception as error:  # Kafka away or slow: say so in the report, not fail it
        report["error"] = type(error).__name__
        return report
    report["dead_letters"] = len(letters)
    report["waiting"] = sum(1 for d in letters if not d.replayed)
    return report


def _kafka(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Problem:
        raise
    except Exception as error:
        raise Problem(
            503,
            detail=f"Kafka did not answer: {type(error).__name__}.",
            type_uri=PROBLEM_TYPE_BASE + "kafka-unavailable",
        ) from error
