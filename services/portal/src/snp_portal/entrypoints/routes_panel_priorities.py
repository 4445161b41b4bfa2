"""A ward panel's priorities for a period, for its members and officers: the priorities in
order with their actions and reviews; officers add one, move one up or down, and publish the
period behind a confirmation page. Whether the user is an officer only chooses the forms shown;
engagement's policy decides every change (a member's forged post meets its 403)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import ward_priorities as words
from snp_portal.entrypoints.group_pages import GroupPage, group_page, render_group
from snp_portal.entrypoints.plan_pages import (
    engagement,
    form_text,
    period_links,
    period_of,
    read_plan,
    refused_errors,
)
from snp_portal.entrypoints.web import see_other, signed_in, signed_in_form

router = APIRouter()
BANNERS = {
    "added": "The priority is added.",
    "edited": "The priority is changed.",
    "retired": "The priority is retired. It no longer shows on the panel's pages.",
    "moved": "The order is changed.",
    "published": "The priorities are published on the ward's public page.",
    "reviewed": "Your review is saved.",
}


def panel_page(request: Request, group_id: object) -> GroupPage:
    """The group, when it is a ward panel (only ward panels have priorities)."""
    page = group_page(request, group_id)
    if page.group["group_type"] != "ward_panel":
        raise HTTPException(404)
    return page


def _plan_page(
    request: Request,
    page: GroupPage,
    period: str | None,
    banner: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    quarter = period_of(period)
    plan = read_plan(engagement(request, signed_in(request)), page.group_id, quarter)
    base = f"/groups/{page.group_id}/priorities"
    return render_group(
        request,
        "panel_priorities.html",
        page,
        "priorities",
        "Ward priorities",
        status_code=status_code,
        errors=errors,
        title=f"Ward priorities, {quarter.words}: {page.group['name']}",
        quarter=quarter,
        plan=plan,
        priorities=words.described(plan, {}),
        pagination=period_links(base, quarter),
        base=base,
        banner=BANNERS.get(banner or ""),
        values=values or {"category": ""},
        pw=words,
    )


@router.get("/groups/{group_id:uuid}/priorities")
def priorities(
    request: Request, group_id: uuid.UUID, period: str | None = None, done: str | None = None
) -> Response:
    return _plan_page(request, panel_page(request, group_id), period, done)


def _after(page: GroupPage, period: str, done: str, anchor: str = "") -> Response:
    return see_other(f"/groups/{page.group_id}/priorities?period={period}&done={done}{anchor}")


@router.post("/groups/{group_id:uuid}/priorities")
async def add_priority(request: Request, group_id: uuid.UUID, period: str = "") -> Response:
    user, form = await signed_in_form(request)
    page, quarter = panel_page(request, group_id), period_of(period or None)
    values = form_text(form, "title", "description", "category")
    errors = words.priority_errors(values)
    if not errors:
        try:
            engagement(request, user).add_priority(page.group_id, quarter.code, values)
        except Refusal as refused:
            errors = refused_errors(refused, "title")
            status = refused.status
        else:
            return _after(page, quarter.code, "added")
    else:
        status = 400
    return _plan_page(request, page, quarter.code, None, errors, values, status)


@router.post("/groups/{group_id:uuid}/priorities/{priority_id}/move")
async def move_priority(
    request: Request, group_id: uuid.UUID, priority_id: str, period: str = ""
) -> Response:
    user, form = await signed_in_form(request)
    page, quarter = panel_page(request, group_id), period_of(period or None)
    api = engagement(request, user)
    order = [p["priority_id"] for p in read_plan(api, page.group_id, quarter)["priorities"]]
    changed = words.moved(order, priority_id, form.get("direction", ""))
    if changed is None:
        errors = {"priorities": "That priority cannot move that way"}
        return _plan_page(request, page, quarter.code, None, errors, status_code=400)
    try:
        api.reorder(page.group_id, quarter.code, changed)
    except Refusal as refused:
        errors = refused_errors(refused, "priorities")
        return _plan_page(request, page, quarter.code, None, errors, status_code=refused.status)
    return _after(page, quarter.code, "moved", f"#priority-{priority_id}")


def _publish_page(
    request: Request, page: GroupPage, period: str, errors: dict[str, str] | None = None
) -> Response:
    quarter = period_of(period or None)
    plan = read_plan(engagement(request, signed_in(request)), page.group_id, quarter)
    return render_group(
        request,
        "panel_publish.html",
        page,
        "priorities",
        f"Publish the priorities for {quarter.words}?",
        status_code=400 if errors else 200,
        errors=errors,
        quarter=quarter,
        plan=plan,
    )


@router.get("/groups/{group_id:uuid}/priorities/publish")
def publish_form(request: Request, group_id: uuid.UUID, period: str = "") -> Response:
    return _publish_page(request, panel_page(request, group_id), period)


@router.post("/groups/{group_id:uuid}/priorities/publish")
async def publish(request: Request, group_id: uuid.UUID, period: str = "") -> Response:
    user, _form = await signed_in_form(request)
    page, quarter = panel_page(request, group_id), period_of(period or None)
    try:
        engagement(request, user).publish(page.group_id, quarter.code)
    except Refusal as refused:
        response = _publish_page(request, page, quarter.code, refused_errors(refused, "publish"))
        response.status_code = refused.status
        return response
    return _after(page, quarter.code, "published")
