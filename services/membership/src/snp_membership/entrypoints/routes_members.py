"""Members over REST: joining, deciding, the member list, leaving and removal, officers, and
approval markings. Every change may carry `expected_version` (409 when the group moved on)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from snp_membership.entrypoints.dependencies import context, metadata
from snp_membership.entrypoints.params import (
    AccountId,
    Cursor,
    ExpectedVersion,
    GroupId,
    RequestId,
    Role,
)
from snp_membership.entrypoints.schemas import ApprovalIn, DecisionIn, OfficerIn
from snp_membership.service_layer import joining, listing, offices
from snp_platform.tokens import CurrentPrincipal, Principal

router = APIRouter(prefix="/membership")
Word = Annotated[str, Query(pattern=r"^[a-z_]{1,32}$")]


@router.post("/groups/{group_id}/join-requests", status_code=201)
def ask_to_join(group_id: GroupId, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    meta = metadata(request, who.account_id)
    request_id, version = joining.request_join(context(request), who, str(group_id), meta)
    return {"request_id": request_id, "version": version}


@router.get("/groups/{group_id}/standing")
def own_standing(group_id: GroupId, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    """The caller's own place in a group they may read (never anyone else's)."""
    standing, roles = joining.own_standing(context(request), who, str(group_id))
    return {
        "group_id": str(group_id),
        "member": standing.is_member,
        "roles": roles,
        "pending_request": standing.pending_request,
    }


@router.get("/groups/{group_id}/join-requests")
def waiting_requests(group_id: GroupId, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    found = joining.pending_requests(context(request), who, str(group_id))
    return {
        "requests": [
            {"request_id": r, "account_id": a, "display_name": name, "requested_at": at}
            for r, a, name, at in found
        ]
    }


@router.post("/groups/{group_id}/join-requests/{request_id}/admit")
def admit(
    group_id: GroupId,
    request_id: RequestId,
    request: Request,
    who: CurrentPrincipal,
    body: DecisionIn | None = None,
) -> dict[str, int]:
    return _decide(str(group_id), str(request_id), True, request, who, body)


@router.post("/groups/{group_id}/join-requests/{request_id}/reject")
def reject(
    group_id: GroupId,
    request_id: RequestId,
    request: Request,
    who: CurrentPrincipal,
    body: DecisionIn | None = None,
) -> dict[str, int]:
    return _decide(str(group_id), str(request_id), False, request, who, body)


def _decide(
    group_id: str,
    request_id: str,
    admit: bool,
    request: Request,
    who: Principal,
    body: DecisionIn | None,
) -> dict[str, int]:
    expected = body.expected_version if body else None
    meta = metadata(request, who.account_id)
    version = joining.decide_request(
        context(request), who, group_id, request_id, admit, expected, meta
    )
    return {"version": version}


@router.get("/groups/{group_id}/members")
def members(
    group_id: GroupId,
    request: Request,
    who: CurrentPrincipal,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    group, page, next_cursor = listing.member_page(
        context(request), who, str(group_id), cursor, limit
    )
    return {"group_id": group.group_id, "members": page, "next_cursor": next_cursor}


@router.delete("/groups/{group_id}/members/{account_id}")
def leave_or_remove(
    group_id: GroupId,
    account_id: AccountId,
    request: Request,
    who: CurrentPrincipal,
    expected_version: ExpectedVersion = None,
) -> dict[str, int]:
    meta = metadata(request, who.account_id)
    version = joining.end_membership(
        context(request), who, str(group_id), str(account_id), expected_version, meta
    )
    return {"version": version}


@router.put("/groups/{group_id}/officers/{role}")
def appoint(
    group_id: GroupId, role: Role, body: OfficerIn, request: Request, who: CurrentPrincipal
) -> dict[str, int]:
    meta = metadata(request, who.account_id)
    version = offices.appoint(
        context(request),
        who,
        str(group_id),
        role,
        str(body.account_id),
        body.expected_version,
        meta,
    )
    return {"version": version}


@router.delete("/groups/{group_id}/officers/{role}/{account_id}")
def stand_down(
    group_id: GroupId,
    role: Role,
    account_id: AccountId,
    request: Request,
    who: CurrentPrincipal,
    expected_version: ExpectedVersion = None,
) -> dict[str, int]:
    meta = metadata(request, who.account_id)
    version = offices.stand_down(
        context(request), who, str(group_id), role, str(account_id), expected_version, meta
    )
    return {"version": version}


@router.post("/approvals", status_code=201)
def mark(body: ApprovalIn, request: Request, who: CurrentPrincipal) -> dict[str, int]:
    account = str(body.account_id) if body.account_id else ""
    marking = offices.Marking(str(body.group_id), body.subject, body.side, account)
    return _change_marking(marking, False, body.expected_version, request, who)


@router.delete("/approvals")
def withdraw(
    request: Request,
    who: CurrentPrincipal,
    group_id: Annotated[uuid.UUID, Query()],
    subject: Word,
    side: Word,
    account_id: Annotated[uuid.UUID | None, Query()] = None,
    expected_version: ExpectedVersion = None,
) -> dict[str, int]:
    account = str(account_id) if account_id else ""
    marking = offices.Marking(str(group_id), subject, side, account)
    return _change_marking(marking, True, expected_version, request, who)


def _change_marking(
    marking: offices.Marking,
    withdraw: bool,
    expected: int | None,
    request: Request,
    who: Principal,
) -> dict[str, int]:
    meta = metadata(request, who.account_id)
    version = offices.change_marking(context(request), who, marking, withdraw, expected, meta)
    return {"version": version}
