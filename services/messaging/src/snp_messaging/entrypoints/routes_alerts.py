"""REST: a draft's preview (nothing stored) and the force's alerts list."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from snp_messaging.domain.messages import AudienceType
from snp_messaging.entrypoints.dependencies import context
from snp_messaging.entrypoints.routes_messages import draft_of
from snp_messaging.entrypoints.schemas import MessageIn
from snp_messaging.service_layer import alerts, previewing
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/messaging", tags=["alerts"])


@router.post("/previews")
async def preview(body: MessageIn, principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
    """The draft as its recipients will see it (inbox and mail), checked and decided as a send
    would be (the same 422 and 403); nothing is recorded."""
    return await run_in_threadpool(previewing.preview, context(request), principal, draft_of(body))


@router.get("/alerts")
async def force_alerts(
    principal: CurrentPrincipal,
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    audience: AudienceType | None = None,
    cursor: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """The force's alerts (what its police and tenant admins sent), newest first, whose subject
    contains `q`, to audiences of type `audience`; page on with `cursor` = `next_cursor`."""
    return await run_in_threadpool(
        alerts.force_alerts,
        context(request),
        principal,
        (q or "").strip() or None,
        audience.value if audience else None,
        str(cursor) if cursor else None,
        limit,
    )
