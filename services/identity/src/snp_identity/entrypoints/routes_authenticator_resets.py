"""Resetting a staff account's authenticator: a tenant admin asks, a second one approves or
rejects. The policy decides who (never one's own account, never one's own request: its
reasons put in words here); the domain decides what the account's state allows."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_identity.adapters import records
from snp_identity.entrypoints import dependencies as deps
from snp_identity.entrypoints.routes_accounts import AccountId
from snp_identity.entrypoints.schemas import AuthenticatorResetIn
from snp_identity.service_layer import authenticator_resets as resets
from snp_identity.service_layer.context import InvalidInput, NotFound
from snp_platform.authz import Refused, authorize
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal, Principal

router = APIRouter(prefix="/identity", tags=["authenticator resets"])
RequestId = Annotated[uuid.UUID, Path(description="the reset request's id")]
# The separation-of-duties reasons, as the person refused is told them.
REFUSALS = {
    "own_account_not_allowed": (
        "own-account",
        "You cannot reset your own authenticator. Another administrator of the force does it.",
    ),
    "own_request_not_allowed": (
        "own-reset-request",
        "You asked for this reset, so another administrator of the force must approve or"
        " reject it.",
    ),
}


def _target_kind(request: Request, who: Principal, account_id: str) -> str:
    with deps.context(request).pool.connection() as conn:
        row = records.find_account(conn, who.tenant, account_id)
    if row is None:
        raise NotFound(account_id)
    return row.kind


def _allow(request: Request, who: Principal, action: str, resource: dict[str, Any]) -> None:
    try:
        authorize(deps.opa(request), who, action, resource)
    except Refused as refused:
        for reason in sorted(refused.reasons):
            if reason in REFUSALS:
                kind, detail = REFUSALS[reason]
                raise Problem(
                    403, detail=detail, type_uri=PROBLEM_TYPE_BASE + kind, reasons=[reason]
                ) from refused
        raise


@router.post("/accounts/{account_id}/authenticator-resets", status_code=201)
def ask(
    account_id: AccountId, body: AuthenticatorResetIn, request: Request, who: CurrentPrincipal
) -> dict[str, Any]:
    """Ask for the reset; it waits (24 hours at most) for a second administrator."""
    target, reason = str(account_id), body.reason.strip()
    if not reason:
        raise InvalidInput(["enter why the reset is needed"])
    resource = {
        "type": "account",
        "id": target,
        "tenant": who.tenant,
        "owner": target,
        "target_kind": _target_kind(request, who, target),
    }
    _allow(request, who, "identity.authenticator_reset.request", resource)
    request_id, expires_at = resets.request(
        deps.context(request),
        who.tenant,
        target,
        who.account_id,
        reason,
        deps.metadata(request, who.account_id),
    )
    return {"request_id": request_id, "expires_at": expires_at}


def _decide(
    request: Request, who: Principal, account_id: uuid.UUID, request_id: uuid.UUID, approve: bool
) -> Response:
    ctx, target, rid = deps.context(request), str(account_id), str(request_id)
    kind = _target_kind(request, who, target)
    resource = {
        "type": "authenticator_reset",
        "id": rid,
        "tenant": who.tenant,
        "owner": target,
        "requested_by": resets.requested_by(ctx, who.tenant, target, rid),
        "target_kind": kind,
    }
    _allow(request, who, "identity.authenticator_reset.decide", resource)
    decide = resets.approve if approve else resets.reject
    decide(ctx, who.tenant, target, rid, who.account_id, deps.metadata(request, who.account_id))
    return Response(status_code=204)


@router.post("/accounts/{account_id}/authenticator-resets/{request_id}/approve", status_code=204)
def approve(
    account_id: AccountId, request_id: RequestId, request: Request, who: CurrentPrincipal
) -> Response:
    """Reset it now: no authenticator or recovery code left, every session ended, enrol again
    at the next sign-in; the account is mailed."""
    return _decide(request, who, account_id, request_id, approve=True)


@router.post("/accounts/{account_id}/authenticator-resets/{request_id}/reject", status_code=204)
def reject(
    account_id: AccountId, request_id: RequestId, request: Request, who: CurrentPrincipal
) -> Response:
    return _decide(request, who, account_id, request_id, approve=False)
