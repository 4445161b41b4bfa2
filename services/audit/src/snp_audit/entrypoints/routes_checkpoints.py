"""The signed checkpoints of the auditor's own tenant's log, newest first: the log's growth
over time (each says how many entries the log held when it was signed)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from snp_audit.adapters import checkpoint_store
from snp_audit.entrypoints import dependencies as deps
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/audit", tags=["auditors"])


@router.get("/checkpoints")
def checkpoints(
    request: Request,
    who: CurrentPrincipal,
    below: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Checkpoints largest first; pass `next_below` back as `below` for older ones."""
    ctx = deps.context(request)
    tenant = deps.allow_log(ctx, who, "audit.events.read")
    with ctx.pool.connection() as conn:
        found = checkpoint_store.newest(conn, tenant, below, limit)
    return {
        "checkpoints": [c.to_json() for c in found],
        "next_below": found[-1].tree_size if len(found) == limit else None,
    }
