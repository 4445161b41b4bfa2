"""Your groups, a group's overview, and leaving a group."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import groups as words
from snp_portal.domain.refusals import LAST_LEADER_LEAVING
from snp_portal.entrypoints.group_forms import as_uuid, form_version, refusal_errors
from snp_portal.entrypoints.group_pages import group_page, membership, render_group
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.web import see_other, signed_in_form

router = APIRouter()


@router.get("/groups")
def your_groups(request: Request, left: str | None = None) -> Response:
    api = membership(request)
    mine = api.own_groups()
    banner, left_id = None, as_uuid(left)
    if left_id is not None:
        try:  # the name, while the group still shows itself to someone who left
            banner = words.banner("left", None, None, api.group(left_id)["name"])
        except Refusal:
            banner = words.banner("left", None, None)
    return render(
        request,
        "groups.html",
        title="Your groups",
        active="groups",
        groups=mine["groups"],
        waiting=mine["join_requests"],
        banner=banner,
        words=words,
        errors={},
    )


@router.get("/groups/{group_id:uuid}")
def overview(
    request: Request,
    group_id: uuid.UUID,
    done: str | None = None,
    who: str | None = None,
    role: str | None = None,
) -> Response:
    page = group_page(request, group_id)
    try:
        officers = page.api.officers(page.group_id)
    except Refusal:  # not one of its members: the group's own people are not shown
        officers = None
    named = {o["account_id"]: o["display_name"] for o in officers or []}
    return render_group(
        request,
        "group_overview.html",
        page,
        "overview",
        page.group["name"],
        officers=officers,
        markings=words.markings(page.group.get("approvals", []), page.force),
        banner=words.banner(done, named.get(as_uuid(who) or ""), role),
    )


@router.get("/groups/{group_id:uuid}/leave")
def leave_form(request: Request, group_id: uuid.UUID) -> Response:
    page = group_page(request, group_id)
    return render_group(request, "group_leave.html", page, "overview", "Leave the group")


@router.post("/groups/{group_id:uuid}/leave")
async def leave(request: Request, group_id: uuid.UUID) -> Response:
    _user, form = await signed_in_form(request)
    page = group_page(request, group_id)
    try:
        page.api.end_membership(page.group_id, page.me, form_version(form))
    except Refusal as refused:
        errors = refusal_errors(refused, "leave")
        if words.leads(page.roles) and refused.kind == "conflict":
            office = words.leading_office(page.group["group_type"])
            errors["leave"] = LAST_LEADER_LEAVING.format(office=office)
        return render_group(
            request,
            "group_leave.html",
            page,
            "overview",
            "Leave the group",
            status_code=refused.status,
            errors=errors,
        )
    return see_other(f"/groups?left={page.group_id}")
