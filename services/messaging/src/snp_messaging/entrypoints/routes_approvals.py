"""REST: governance of police alerts: the force's rule, alerts held for a second officer
(list, one, approve, reject, edit, withdraw), and corrections and withdrawals of sent ones."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from snp_messaging.domain.approvals import FollowUpKind
from snp_messaging.entrypoints.dependencies import context, metadata
from snp_messaging.entrypoints.schemas import ApprovalRuleIn, FollowUpIn, ReasonIn, WordingIn
from snp_messaging.service_layer import approvals, follow_ups
from snp_platform.tokens import CurrentPrincipal, Principal

router = APIRouter(prefix="/messaging", tags=["alert governance"])


@router.get("/alerts/approval-rule")
async def approval_rule(principal: CurrentPrincipal, request: Request) -> dict[str, Any]:
    """Whether force-wide and urgent police alerts wait for a second officer (tenant admins)."""
    return await run_in_threadpool(approvals.approval_rule, context(request), principal)


@router.put("/alerts/approval-rule")
async def put_approval_rule(
    body: ApprovalRuleIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    return await run_in_threadpool(
        approvals.set_approval_rule,
        context(request),
        principal,
        body.choice(),
        metadata(request, principal.account_id),
    )


@router.get("/alerts/held")
async def waiting(
    principal: CurrentPrincipal,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """The force's alerts waiting for a second officer, oldest first."""
    found = await run_in_threadpool(approvals.waiting_alerts, context(request), principal, limit)
    return {"alerts": found}


@router.get("/alerts/held/{alert_id}")
async def held(
    alert_id: uuid.UUID, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    return await run_in_threadpool(approvals.held_alert, context(request), principal, str(alert_id))


async def _step(
    step: Callable[..., dict[str, Any]],
    alert_id: uuid.UUID,
    given: Any,
    principal: Principal,
    request: Request,
) -> dict[str, Any]:
    """What every step of a held alert does over HTTP: the step (approve, reject, withdraw,
    edit) with the messaging context, the caller, the alert, what they gave, and the metadata."""
    return await run_in_threadpool(
        step,
        context(request),
        principal,
        str(alert_id),
        given,
        metadata(request, principal.account_id),
    )


@router.post("/alerts/held/{alert_id}/approve")
async def approve(
    alert_id: uuid.UUID, body: ReasonIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """A second officer approves: the alert is sent now (never by its own sender)."""
    return await _step(approvals.approve, alert_id, body.reason, principal, request)


@router.post("/alerts/held/{alert_id}/reject")
async def reject(
    alert_id: uuid.UUID, body: ReasonIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """A second officer refuses it, saying why: it reaches nobody."""
    return await _step(approvals.reject, alert_id, body.reason, principal, request)


@router.post("/alerts/held/{alert_id}/withdraw")
async def withdraw(
    alert_id: uuid.UUID, body: ReasonIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """Its sender takes the waiting alert back."""
    return await _step(approvals.withdraw, alert_id, body.reason, principal, request)


@router.put("/alerts/held/{alert_id}")
async def edit(
    alert_id: uuid.UUID, body: WordingIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """Its sender rewords the waiting alert (whom it goes to stays as it is)."""
    wording = (body.subject, body.body, body.type, body.priority)
    return await _step(approvals.edit, alert_id, wording, principal, request)


@router.post("/messages/{message_id}/correction", status_code=202)
async def correct(
    message_id: uuid.UUID, body: FollowUpIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """Its sender corrects a sent alert: a follow-up to exactly its recipients."""
    return await _follow_up(FollowUpKind.CORRECTION, message_id, body, principal, request)


@router.post("/messages/{message_id}/withdrawal", status_code=202)
async def withdraw_sent(
    message_id: uuid.UUID, body: FollowUpIn, principal: CurrentPrincipal, request: Request
) -> dict[str, Any]:
    """Its sender withdraws a sent alert: a follow-up to exactly its recipients saying so."""
    return await _follow_up(FollowUpKind.WITHDRAWAL, message_id, body, principal, request)


async def _follow_up(
    kind: FollowUpKind,
    message_id: uuid.UUID,
    body: FollowUpIn,
    principal: Principal,
    request: Request,
) -> dict[str, Any]:
    return await run_in_threadpool(
        follow_ups.follow_up,
        context(request),
        principal,
        str(message_id),
        kind,
        (body.subject, body.body, body.reason),
        metadata(request, principal.account_id),
    )
