"""A group's members: the member list (when the group shows it), the officers, and for
officers the join requests (admit, reject) and removing a member."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import groups as words
from snp_portal.entrypoints.group_forms import as_uuid, form_version, refusal_errors
from snp_portal.entrypoints.group_pages import GroupPage, group_page, render_group
from snp_portal.entrypoints.web import see_other, signed_in_form

router = APIRouter()
CLOSED_LIST = "The group's officers have chosen not to show the member list."


def members_page(
    request: Request,
    page: GroupPage,
    cursor: str | None = None,
    banner: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    """The page, drawn again after a refused change with the refusal as its error."""
    try:
        listed: dict[str, Any] | None = page.api.members(page.group_id, cursor)
    except Refusal as refused:
        if refused.status != 403:
            raise
        listed = None
    officers = page.api.officers(page.group_id)
    requests = page.api.join_requests(page.group_id) if page.offers["officer"] else []
    members = (listed or {}).get("members", [])
    offices = words.OFFICES.get(page.group["group_type"], ())
    return render_group(
        request,
        "group_members.html",
        page,
        "members",
        "Members",
        status_code=status_code,
        errors=errors,
        members=members if listed is not None else None,
        next_cursor=(listed or {}).get("next_cursor"),
        closed_list=CLOSED_LIST,
        officers=officers,
        requests=requests,
        # The chair changes hands on the hand-over page; a watch group may have several
        # coordinators, so appointing one more is an appointment.
        appointable=[o for o in offices if o != "chair"],
        banner=banner,
        values=values or {},
    )


@router.get("/groups/{group_id:uuid}/members")
def members(
    request: Request,
    group_id: uuid.UUID,
    cursor: str | None = None,
    done: str | None = None,
    who: str | None = None,
    role: str | None = None,
) -> Response:
    page = group_page(request, group_id)
    banner = None
    if done:
        account_id = as_uuid(who)
        banner = words.banner(done, _name_of(page, account_id) if account_id else None, role)
    return members_page(request, page, cursor, banner)


def _name_of(page: GroupPage, account_id: str) -> str | None:
    for officer in page.api.officers(page.group_id):
        if officer["account_id"] == account_id:
            return str(officer["display_name"]) if officer["display_name"] else None
    try:
        listed = page.api.members(page.group_id)["members"]
    except Refusal:
        return None
    found = next((m for m in listed if m["account_id"] == account_id), None)
    return str(found["display_name"]) if found and found["display_name"] else None


@router.post("/groups/{group_id:uuid}/join-requests/{request_id:uuid}/{decision}")
async def decide(
    request: Request, group_id: uuid.UUID, request_id: uuid.UUID, decision: str
) -> Response:
    if decision not in ("admit", "reject"):
        raise HTTPException(404)
    _user, form = await signed_in_form(request)
    page = group_page(request, group_id)
    admit = decision == "admit"
    try:
        page.api.decide(page.group_id, str(request_id), admit, form_version(form))
    except Refusal as refused:
        errors = refusal_errors(refused, "join-requests")
        return members_page(request, page, errors=errors, status_code=refused.status)
    if not admit:
        return see_other(f"/groups/{page.group_id}/members?done=rejected")
    who = as_uuid(form.get("account_id")) or ""
    return see_other(f"/groups/{page.group_id}/members?done=admitted&who={who}")


@router.get("/groups/{group_id:uuid}/members/{account_id:uuid}/remove")
def remove_form(request: Request, group_id: uuid.UUID, account_id: uuid.UUID) -> Response:
    page = group_page(request, group_id)
    return _remove_page(request, page, str(account_id))


def _remove_page(
    request: Request,
    page: GroupPage,
    account_id: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    name = _name_of(page, account_id)
    return render_group(
        request,
        "group_remove.html",
        page,
        "members",
        "Remove a member",
        status_code=status_code,
        errors=errors,
        account_id=account_id,
        name=name or "this member",
    )


@router.post("/groups/{group_id:uuid}/members/{account_id:uuid}/remove")
async def remove(request: Request, group_id: uuid.UUID, account_id: uuid.UUID) -> Response:
    _user, form = await signed_in_form(request)
    page = group_page(request, group_id)
    try:
        page.api.end_membership(page.group_id, str(account_id), form_version(form))
    except Refusal as refused:
        errors = refusal_errors(refused, "remove")
        return _remove_page(request, page, str(account_id), errors, refused.status)
    return see_other(f"/groups/{page.group_id}/members?done=removed")
