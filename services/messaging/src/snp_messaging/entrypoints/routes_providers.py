"""REST: the force's information providers and their defaults (tenant administrators)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from snp_messaging.entrypoints.dependencies import context, metadata
from snp_messaging.entrypoints.schemas import ProviderDefaultsIn
from snp_messaging.service_layer import consent
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/messaging", tags=["providers"])


@router.get("/providers")
async def providers(principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
    """Each provider of the force, on or off for members who never chose."""
    found = await run_in_threadpool(consent.force_defaults, context(request), principal)
    return {"providers": found}


@router.put("/providers/defaults")
async def put_defaults(
    body: ProviderDefaultsIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """Every provider of the force on by default if listed, else off."""
    found = await run_in_threadpool(
        consent.replace_force_defaults,
        context(request),
        principal,
        body.on,
        metadata(request, principal.account_id),
    )
    return {"providers": found}
