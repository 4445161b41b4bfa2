"""Groups over REST: the public list, a caller's list, founding, reading and editing."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from snp_membership.domain.founding import NewGroup
from snp_membership.domain.group_filter import GroupFilter
from snp_membership.entrypoints.dependencies import context, metadata
from snp_membership.entrypoints.params import (
    ApprovalFilter,
    Cursor,
    Flag,
    GroupId,
    GroupTypeFilter,
    Limit,
    Search,
    StatusFilter,
    TenantSlug,
    VisibilityFilter,
    Ward,
    WardSearch,
)
from snp_membership.entrypoints.schemas import (
    GroupIn,
    GroupPatch,
    group_view,
    member_view,
    public_view,
)
from snp_membership.service_layer import access, groups, listing, public
from snp_membership.service_layer import own_groups as mine
from snp_platform.authz import refuse_listing_for_an_actionable_reason, subject_of
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/membership")


@router.get("/public/{tenant}/groups")
def public_groups(
    tenant: TenantSlug,
    request: Request,
    ward: Ward = None,
    q: Search = None,
    ward_q: WardSearch = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """Anyone, signed in or not: the force's groups the policy shows the public."""
    where = GroupFilter(tenant, ward, q, ward_q)
    visitor = public.visitor(tenant)
    page = listing.browse_groups(context(request), visitor, None, where, cursor, limit)
    return {
        "groups": [public_view(g, marks) for g, marks in page.groups],
        "next_cursor": page.next_cursor,
    }


@router.get("/public/{tenant}/groups/{group_id}")
def public_group(tenant: TenantSlug, group_id: GroupId, request: Request) -> dict[str, Any]:
    """Anyone: one public open group of the force (404 for any other, as for an unknown id)."""
    group = public.public_group(context(request), tenant, str(group_id))
    return {**public_view(group, sorted(group.approvals)), "status": group.status}


@router.get("/groups")
def my_groups(
    request: Request,
    who: CurrentPrincipal,
    ward: Ward = None,
    q: Search = None,
    ward_q: WardSearch = None,
    group_type: GroupTypeFilter = None,
    status: StatusFilter = None,
    visibility: VisibilityFilter = None,
    approval: ApprovalFilter = None,
    needs_officer: Flag = None,
    awaiting_police: Flag = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """The caller's force's groups that the policy lets the caller read (hidden ones included
    for police and admins, and for their own members), narrowed by the filters, by name."""
    where = GroupFilter(
        who.tenant,
        ward,
        q,
        ward_q,
        group_type,
        status,
        visibility,
        approval,
        needs_officer,
        awaiting_police,
    )
    refuse_listing_for_an_actionable_reason(context(request).opa, who, access.READ)
    page = listing.browse_groups(
        context(request), subject_of(who), who.account_id, where, cursor, limit
    )
    return {
        "groups": [member_view(g, marks) for g, marks in page.groups],
        "next_cursor": page.next_cursor,
    }


@router.post("/groups", status_code=201)
def create_group(body: GroupIn, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    spec = NewGroup(
        group_type=body.group_type,
        ward_code=body.ward_code,
        ward_name=body.ward_name,
        name=body.name,
        description=body.description,
        visibility=body.visibility,
        directory=body.directory,
    )
    meta = metadata(request, who.account_id)
    group_id, version = groups.create_group(
        context(request), who, spec, str(body.first_chair) if body.first_chair else None, meta
    )
    return {"group_id": group_id, "version": version}


@router.get("/me/groups")
def own_groups(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    """The caller's own groups with their roles, and the requests to join still waiting."""
    found = mine.own_groups(context(request), who)
    return {
        "account_id": who.account_id,
        "groups": [
            {**member_view(m.group, m.approvals), "roles": m.roles} for m in found.memberships
        ],
        "join_requests": [
            {
                "request_id": w.request_id,
                "requested_at": w.requested_at,
                "group": public_view(w.group, []),
            }
            for w in found.waiting
        ],
    }


@router.get("/groups/{group_id}")
def read_group(group_id: GroupId, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    group = groups.readable_group(context(request), who, str(group_id))
    return {**group_view(group), "tenant_name": groups.force_of(context(request), group.tenant)}


@router.get("/groups/{group_id}/officers")
def officers(group_id: GroupId, request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    """The officers by name: for the group's members even when its member list is closed."""
    group, found = listing.officer_list(context(request), who, str(group_id))
    return {"group_id": group.group_id, "officers": found}


@router.patch("/groups/{group_id}")
def edit_group(
    group_id: GroupId, body: GroupPatch, request: Request, who: CurrentPrincipal
) -> dict[str, int]:
    changes = groups.GroupChanges(
        name=body.name,
        description=body.description,
        directory=body.directory,
        visibility=body.visibility,
        close=body.status == "closed",
    )
    version = groups.update_group(
        context(request),
        who,
        str(group_id),
        changes,
        body.expected_version,
        metadata(request, who.account_id),
    )
    return {"version": version}
