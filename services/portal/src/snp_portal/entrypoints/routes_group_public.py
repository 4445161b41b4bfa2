"""A group's public page `/forces/{tenant}/groups/{id}` and asking to join from it.

Signed in with the group's force, the page reads the group as the user (membership's
`GET /groups/{id}` and the user's own `.../standing`): it then knows a closed group they belong
to and whether their request is waiting. Anyone else sees what membership shows the public.
Whatever the user may not read is "Page not found", exactly like an unknown id (invariant 5)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.forces import Force
from snp_portal.domain.groups import group_type_label, markings
from snp_portal.domain.refusals import sentence
from snp_portal.entrypoints.force_pages import maybe_signed_in, the_force
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.web import SignedIn, apis, see_other, signed_in_form

router = APIRouter()


def _group_id(raw: str) -> str:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise HTTPException(404) from None


def _read(
    request: Request, force: Force, group_id: str, user: SignedIn | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The group and, for a signed-in user of its force, their standing in it."""
    membership = apis(request).membership
    try:
        if user is not None and user.tenant == force.slug:
            group = membership.get(f"/groups/{group_id}", user.token)
            return group, membership.get(f"/groups/{group_id}/standing", user.token)
        return membership.get(f"/public/{force.slug}/groups/{group_id}"), None
    except Refusal as refused:
        # Membership answers 403 for a hidden group it will not show: the page says what an
        # unknown id gets, so a hidden group's existence does not leak through the portal.
        if refused.status in (403, 404):
            raise HTTPException(404) from None
        raise


def _page(
    request: Request,
    force: Force,
    group_id: str,
    user: SignedIn | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    asked: bool = False,
    registered: bool = False,
) -> Response:
    group, standing = _read(request, force, group_id, user)
    here = f"/forces/{force.slug}/groups/{group_id}"
    return render(
        request,
        "group_public.html",
        status_code=status_code,
        title=group["name"],
        active="find",
        force_slug=force.slug,
        force_name=force.display_name,
        group=group,
        type_label=group_type_label(group["group_type"]),
        markings=markings(group.get("approvals", []), force.display_name),
        is_open=group.get("status", "open") == "open",
        here=here,
        user=user,
        user_here=user is not None and user.tenant == force.slug,
        standing=standing or {},
        asked=asked and bool(standing and standing.get("pending_request")),
        registered=registered and user is not None,
        errors=errors or {},
        error_items=error_list(errors or {}),
    )


@router.get("/forces/{tenant}/groups/{group_id}")
def group_page(
    request: Request, tenant: str, group_id: str, asked: str = "", registered: str = ""
) -> Response:
    force = the_force(request, tenant)
    user = maybe_signed_in(request)
    gid = _group_id(group_id)
    return _page(request, force, gid, user, asked=asked == "1", registered=registered == "1")


@router.post("/forces/{tenant}/groups/{group_id}")
async def ask_to_join(request: Request, tenant: str, group_id: str) -> Response:
    force = the_force(request, tenant)
    gid = _group_id(group_id)
    user, _form = await signed_in_form(request)
    try:
        apis(request).membership.post(f"/groups/{gid}/join-requests", user.token)
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from None
        # The service's answer, plainly: "A request to join is already waiting.", ...
        message = (
            "Your account cannot ask to join this group."
            if refused.status == 403
            else sentence(refused.message)
        )
        return _page(request, force, gid, user, {"join": message}, refused.status)
    return see_other(f"/forces/{force.slug}/groups/{gid}?asked=1")
