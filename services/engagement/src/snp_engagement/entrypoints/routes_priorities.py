"""`/engagement/panels/{gid}/periods/{period}` and `/engagement/priorities/{id}`: a ward
panel's priorities, set and published by its officers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_engagement.entrypoints.dependencies import context, metadata
from snp_engagement.entrypoints.schemas import OrderIn, PriorityIn
from snp_engagement.service_layer import priorities
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/engagement", tags=["priorities"])
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Period = Annotated[str, Path(pattern=r"^20[0-9]{2}-Q[1-4]$", examples=["2027-Q1"])]
PLAN = "/panels/{group_id}/periods/{period}"


@router.get(PLAN)
def read_plan(
    group_id: Id, period: Period, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """The period's priorities with their actions and reviews, published or not."""
    return priorities.read_plan(context(request), principal, group_id, period)


@router.post(PLAN + "/priorities", status_code=201)
def set_priority(
    group_id: Id, period: Period, body: PriorityIn, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """A new priority, after the period's others."""
    fields = (body.title, body.description, body.category)
    meta = metadata(request, principal.account_id)
    priority_id = priorities.set_priority(
        context(request), principal, group_id, period, fields, meta
    )
    return {"priority_id": priority_id, "group_id": group_id, "period": period}


@router.put(PLAN + "/order", status_code=204)
def reorder(
    group_id: Id, period: Period, body: OrderIn, request: Request, principal: CurrentPrincipal
) -> Response:
    """Every live priority of the period, first first."""
    meta = metadata(request, principal.account_id)
    priorities.reorder(context(request), principal, group_id, period, body.priority_ids, meta)
    return Response(status_code=204)


@router.post(PLAN + "/publish", status_code=204)
def publish(
    group_id: Id, period: Period, request: Request, principal: CurrentPrincipal
) -> Response:
    """Show the period on the ward's public page (members' names never appear there)."""
    meta = metadata(request, principal.account_id)
    priorities.publish(context(request), principal, group_id, period, meta)
    return Response(status_code=204)


@router.put("/priorities/{priority_id}")
def edit_priority(
    priority_id: Id, body: PriorityIn, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    fields = (body.title, body.description, body.category)
    meta = metadata(request, principal.account_id)
    row = priorities.edit(context(request), principal, priority_id, fields, meta)
    return {"priority_id": priority_id, "group_id": row.group_id, "period": row.period}


@router.delete("/priorities/{priority_id}", status_code=204)
def retire_priority(priority_id: Id, request: Request, principal: CurrentPrincipal) -> Response:
    """Retire the priority (its events remain; its actions leave the pages with it)."""
    priorities.retire(
        context(request), principal, priority_id, metadata(request, principal.account_id)
    )
    return Response(status_code=204)
