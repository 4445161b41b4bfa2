"""A ward panel's officers change one priority (edit, retire behind a confirmation) or review
one action: accepted, or not delivered with a comment. Engagement decides each change."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import ward_priorities as words
from snp_portal.entrypoints.group_pages import GroupPage, render_group
from snp_portal.entrypoints.plan_pages import (
    action_in,
    engagement,
    form_text,
    period_of,
    priority_in,
    read_plan,
    refused_errors,
)
from snp_portal.entrypoints.routes_panel_priorities import panel_page
from snp_portal.entrypoints.web import see_other, signed_in, signed_in_form

router = APIRouter()
PRIORITY = "/groups/{group_id:uuid}/priorities/{priority_id}"
REVIEW = "/groups/{group_id:uuid}/actions/{action_id}/review"


def _plan(request: Request, page: GroupPage, period: str) -> tuple[Any, dict[str, Any]]:
    quarter = period_of(period or None)
    return quarter, read_plan(engagement(request, signed_in(request)), page.group_id, quarter)


def _form(
    request: Request,
    template: str,
    page: GroupPage,
    heading: str,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    status = status_code if status_code != 200 or not errors else 400
    return render_group(
        request,
        template,
        page,
        "priorities",
        heading,
        status_code=status,
        errors=errors,
        pw=words,
        **context,
    )


def _shown(page: GroupPage, priority: dict[str, Any], action: dict[str, Any]) -> Any:
    """The action in the page's words (its agency, status and verdict)."""
    plan = {"priorities": [{**priority, "actions": [action]}]}
    return words.described(plan, {})[0]["actions"][0]


def _back(page: GroupPage, period: str, done: str) -> Response:
    return see_other(f"/groups/{page.group_id}/priorities?period={period}&done={done}")


@router.get(PRIORITY + "/edit")
def edit_form(
    request: Request, group_id: uuid.UUID, priority_id: str, period: str = ""
) -> Response:
    page = panel_page(request, group_id)
    quarter, plan = _plan(request, page, period)
    priority = priority_in(plan, priority_id)
    values = {k: str(priority.get(k) or "") for k in ("title", "description", "category")}
    return _form(
        request,
        "panel_priority_edit.html",
        page,
        "Change the priority",
        quarter=quarter,
        priority=priority,
        values=values,
    )


@router.post(PRIORITY + "/edit")
async def edit(
    request: Request, group_id: uuid.UUID, priority_id: str, period: str = ""
) -> Response:
    user, form = await signed_in_form(request)
    page = panel_page(request, group_id)
    quarter, plan = _plan(request, page, period)
    priority = priority_in(plan, priority_id)
    values = form_text(form, "title", "description", "category")
    errors, status = words.priority_errors(values), 400
    if not errors:
        try:
            engagement(request, user).edit_priority(priority_id, values)
        except Refusal as refused:
            errors, status = refused_errors(refused, "title"), refused.status
        else:
            return _back(page, quarter.code, "edited")
    return _form(
        request,
        "panel_priority_edit.html",
        page,
        "Change the priority",
        errors,
        status,
        quarter=quarter,
        priority=priority,
        values=values,
    )


@router.get(PRIORITY + "/retire")
def retire_form(
    request: Request, group_id: uuid.UUID, priority_id: str, period: str = ""
) -> Response:
    page = panel_page(request, group_id)
    quarter, plan = _plan(request, page, period)
    priority = priority_in(plan, priority_id)
    heading = f"Retire “{priority['title']}”?"
    return _form(
        request, "panel_priority_retire.html", page, heading, quarter=quarter, priority=priority
    )


@router.post(PRIORITY + "/retire")
async def retire(
    request: Request, group_id: uuid.UUID, priority_id: str, period: str = ""
) -> Response:
    user, _form_fields = await signed_in_form(request)
    page = panel_page(request, group_id)
    quarter, plan = _plan(request, page, period)
    priority = priority_in(plan, priority_id)
    try:
        engagement(request, user).retire_priority(priority_id)
    except Refusal as refused:
        return _form(
            request,
            "panel_priority_retire.html",
            page,
            f"Retire “{priority['title']}”?",
            refused_errors(refused, "retire"),
            refused.status,
            quarter=quarter,
            priority=priority,
        )
    return _back(page, quarter.code, "retired")


@router.get(REVIEW)
def review_form(
    request: Request, group_id: uuid.UUID, action_id: str, period: str = ""
) -> Response:
    page = panel_page(request, group_id)
    quarter, plan = _plan(request, page, period)
    action, priority = action_in(plan, action_id)
    review = action.get("review") or {}
    values = {"verdict": review.get("verdict", ""), "comment": review.get("comment", "")}
    return _form(
        request,
        "panel_review.html",
        page,
        "Review the action",
        quarter=quarter,
        action=action,
        priority=priority,
        values=values,
        shown=_shown(page, priority, action),
    )


@router.post(REVIEW)
async def review(
    request: Request, group_id: uuid.UUID, action_id: str, period: str = ""
) -> Response:
    user, form = await signed_in_form(request)
    page = panel_page(request, group_id)
    quarter, plan = _plan(request, page, period)
    action, priority = action_in(plan, action_id)
    values = form_text(form, "verdict", "comment")
    if values["verdict"] != "not_delivered":  # the comment box belongs to "Not delivered"
        values["comment"] = ""
    errors, status = words.review_errors(values), 400
    if not errors:
        try:
            engagement(request, user).review(action_id, values["verdict"], values["comment"])
        except Refusal as refused:
            errors, status = refused_errors(refused, "verdict"), refused.status
        else:
            return _back(page, quarter.code, "reviewed")
    return _form(
        request,
        "panel_review.html",
        page,
        "Review the action",
        errors,
        status,
        quarter=quarter,
        action=action,
        priority=priority,
        values=values,
        shown=_shown(page, priority, action),
    )
