"""The operator's platform health (council IT): every service's readiness, its relay's lag,
each consumer group's lag and dead letters (listed and replayed through the service that owns
the group, with the operator's token), audit's log health, and OPA as the services see it.

The portal asks each service's own ops routes (snp_platform.ops_routes) rather than one
service gathering everything: each service knows its store, relay and groups; one service
being down shows as that service not answering instead of hiding the whole report; and the
portal keeps to REST, with no Kafka, OPA or databases of its own to reach (docs/portal.md)."""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import ApiClient, Refusal, ServiceUnavailable
from snp_portal.domain.platform_health import SERVICES, platform_health
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.routes_operator_tenants import OPERATORS
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
Service = Annotated[str, Path(pattern="^(" + "|".join(SERVICES) + ")$")]
Group = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,100}$")]


def _ask(client: ApiClient, path: str, token: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = client.get(path, token)
    except (ServiceUnavailable, Refusal):
        return None  # shown as "not answering": never taken for healthy
    return found


@router.get("/operator/health")
def health(request: Request) -> Response:
    staff = signed_in_staff(request, OPERATORS)
    clients = apis(request).by_service()
    asks = {name: (clients[name], "/ops/health") for name in SERVICES}
    asks["audit-log"] = (clients["audit"], "/health")
    # Together, not one after another: each report asks Kafka, which takes its time.
    with ThreadPoolExecutor(max_workers=len(asks)) as pool:
        futures = {
            key: pool.submit(contextvars.copy_context().run, _ask, client, path, staff.token)
            for key, (client, path) in asks.items()
        }
        answers = {key: future.result() for key, future in futures.items()}
    audit_log = answers.pop("audit-log")
    return render(
        request,
        "operator_health.html",
        title="Platform health",
        active="operator-health",
        health=platform_health(answers, audit_log),
        errors={},
    )


@router.get("/operator/dead-letters/{service}/{group}")
def dead_letters(request: Request, service: Service, group: Group) -> Response:
    staff = signed_in_staff(request, OPERATORS)
    client = apis(request).by_service()[service]
    try:
        found = client.get(f"/ops/dead-letters/{group}", staff.token)
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from refused
        raise
    letters = found["dead_letters"]
    return render(
        request,
        "operator_dead_letters.html",
        title=f"Dead letters of {group}",
        active="operator-health",
        service=service,
        group=group,
        letters=letters,
        waiting=sum(1 for d in letters if not d["replayed"]),
        replayed=request.query_params.get("replayed"),
        errors={},
    )


@router.post("/operator/dead-letters/{service}/{group}")
async def replay(request: Request, service: Service, group: Group) -> Response:
    await signed_in_form(request)
    staff = signed_in_staff(request, OPERATORS)
    client = apis(request).by_service()[service]
    answer = await run_in_threadpool(
        client.post, f"/ops/dead-letters/{group}/replay", staff.token, json={}
    )
    count = len(answer.json()["replayed"])
    return see_other(f"/operator/dead-letters/{service}/{group}?replayed={count}")
