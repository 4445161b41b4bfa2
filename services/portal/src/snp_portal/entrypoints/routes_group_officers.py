"""A group's officers: appointing one, standing one down, and handing over the leading role
(the chair, or a Neighbourhood Watch coordinator)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import groups as words
from snp_portal.entrypoints.group_forms import as_uuid, form_version, refusal_errors
from snp_portal.entrypoints.group_pages import GroupPage, group_page, render_group
from snp_portal.entrypoints.routes_group_members import members_page
from snp_portal.entrypoints.web import see_other, signed_in_form

router = APIRouter()


@router.post("/groups/{group_id:uuid}/officers")
async def appoint(request: Request, group_id: uuid.UUID) -> Response:
    _user, form = await signed_in_form(request)
    page = group_page(request, group_id)
    account_id, role = as_uuid(form.get("account_id")), form.get("role", "")
    errors = {}
    if account_id is None:
        errors["account_id"] = "Choose the member to appoint"
    if role not in words.OFFICES.get(page.group["group_type"], ()):
        errors["role"] = "Choose the office to appoint them to"
    values = {"account_id": account_id or "", "role": role}
    if errors:
        return members_page(request, page, errors=errors, status_code=400, values=values)
    assert account_id is not None
    try:
        page.api.appoint(page.group_id, role, account_id, form_version(form))
    except Refusal as refused:
        errors = refusal_errors(refused, "account_id")
        return members_page(request, page, errors=errors, status_code=refused.status, values=values)
    done = f"done=appointed&who={account_id}&role={role}"
    return see_other(f"/groups/{page.group_id}/members?{done}")


@router.post("/groups/{group_id:uuid}/officers/{role}/{account_id:uuid}/stand-down")
async def stand_down(
    request: Request, group_id: uuid.UUID, role: str, account_id: uuid.UUID
) -> Response:
    _user, form = await signed_in_form(request)
    page = group_page(request, group_id)
    try:
        page.api.stand_down(page.group_id, role, str(account_id), form_version(form))
    except Refusal as refused:
        errors = refusal_errors(refused, "officers")
        return members_page(request, page, errors=errors, status_code=refused.status)
    done = f"done=stood_down&who={account_id}&role={role}"
    return see_other(f"/groups/{page.group_id}/members?{done}")


def _hand_over_page(
    request: Request,
    page: GroupPage,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    try:
        members = page.api.members(page.group_id)["members"]
    except Refusal:
        members = []
    office = words.leading_office(page.group["group_type"])
    return render_group(
        request,
        "group_hand_over.html",
        page,
        "members",
        f"Hand over your role as {words.ROLES[office].lower()}",
        status_code=status_code,
        errors=errors,
        office=office,
        candidates=[m for m in members if m["account_id"] != page.me],
    )


@router.get("/groups/{group_id:uuid}/hand-over")
def hand_over_form(request: Request, group_id: uuid.UUID) -> Response:
    return _hand_over_page(request, group_page(request, group_id))


@router.post("/groups/{group_id:uuid}/hand-over")
async def hand_over(request: Request, group_id: uuid.UUID) -> Response:
    _user, form = await signed_in_form(request)
    page = group_page(request, group_id)
    successor = as_uuid(form.get("account_id"))
    if successor is None:
        errors = {"account_id": "Choose the member to hand over to"}
        return _hand_over_page(request, page, errors, 400)
    office = words.leading_office(page.group["group_type"])
    try:
        # Appointing a new chair stands the old one down in the same event append. A watch
        # group may have several coordinators: the new one is appointed, then this one stands
        # down at the version that appointment left.
        version = page.api.appoint(page.group_id, office, successor, form_version(form))
        if office == "coordinator":
            page.api.stand_down(page.group_id, office, page.me, version)
    except Refusal as refused:
        return _hand_over_page(request, page, refusal_errors(refused, "account_id"), refused.status)
    done = f"done=handed_over&who={successor}&role={office}"
    return see_other(f"/groups/{page.group_id}?{done}")
