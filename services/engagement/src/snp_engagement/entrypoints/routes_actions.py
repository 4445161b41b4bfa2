"""`/engagement/priorities/{id}/actions` and `/engagement/actions/{id}`: what police and partner
agencies did against a priority, and the panel's review of it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_engagement.entrypoints.dependencies import context, metadata
from snp_engagement.entrypoints.schemas import ActionIn, ReviewIn
from snp_engagement.service_layer import actions
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/engagement", tags=["actions"])
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]


@router.post("/priorities/{priority_id}/actions", status_code=201)
def record_action(
    priority_id: Id, body: ActionIn, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Recorded for the caller's agency (police: the force itself)."""
    meta = metadata(request, principal.account_id)
    action_id = actions.record(context(request), principal, priority_id, body.what(), meta)
    return {"action_id": action_id, "priority_id": priority_id}


@router.put("/actions/{action_id}", status_code=204)
def update_action(
    action_id: Id, body: ActionIn, request: Request, principal: CurrentPrincipal
) -> Response:
    """Only the agency that recorded the action edits it."""
    meta = metadata(request, principal.account_id)
    actions.update(context(request), principal, action_id, body.what(), meta)
    return Response(status_code=204)


@router.put("/actions/{action_id}/review", status_code=204)
def review_action(
    action_id: Id, body: ReviewIn, request: Request, principal: CurrentPrincipal
) -> Response:
    """The panel's officers: accepted, or not delivered (with a comment)."""
    meta = metadata(request, principal.account_id)
    actions.review(context(request), principal, action_id, body.verdict, body.comment, meta)
    return Response(status_code=204)
