"""REST: the force's digest time (its tenant admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from snp_messaging.entrypoints.dependencies import context, metadata
from snp_messaging.entrypoints.schemas import DigestScheduleIn
from snp_messaging.service_layer import digest_schedule
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/messaging", tags=["digests"])


@router.get("/digest-schedule")
async def get_digest_schedule(principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
    """When members' daily and weekly digests go, on London's clock."""
    return await run_in_threadpool(digest_schedule.digest_schedule, context(request), principal)


@router.put("/digest-schedule")
async def put_digest_schedule(
    body: DigestScheduleIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    return await run_in_threadpool(
        digest_schedule.set_digest_schedule,
        context(request),
        principal,
        body.time,
        body.weekday,
        metadata(request, principal.account_id),
    )
