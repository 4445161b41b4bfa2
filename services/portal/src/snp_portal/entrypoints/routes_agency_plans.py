"""Police and partner officers and ward panels' plans: find a panel by its ward, read its plan
for a period, record an action against a priority for their agency, and change their own
agency's actions. The change links follow the action's agency; engagement decides (the grant
`recording_agency_updates_action`), so another agency's forged post meets its 403."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import ward_priorities as words
from snp_portal.entrypoints.agency_plans import AgencyStaff, agency_staff, panel_named
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.plan_pages import (
    action_in,
    engagement,
    form_text,
    period_links,
    period_of,
    priority_in,
    read_plan,
    refused_errors,
)
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
PLAN = "/ward-plans/{group_id:uuid}"
MAX_WARD_SEARCH = 100
BANNERS = {"recorded": "Your action is recorded.", "changed": "Your action is changed."}


@router.get("/ward-plans")
def find_panel(request: Request, ward: str = "") -> Response:
    who = agency_staff(request)
    ward = ward.strip()
    errors: dict[str, str] = {}
    panels: list[dict[str, Any]] = []
    if len(ward) > MAX_WARD_SEARCH or any(ord(c) < 32 for c in ward):
        errors["ward"] = f"Enter the ward's name or code, {MAX_WARD_SEARCH} characters at most"
    elif ward:
        # The force's public listing: a hidden panel is reached by the link police give.
        found = apis(request).membership.get(
            f"/public/{who.staff.claims.tenant}/groups", params={"ward_q": ward, "limit": 50}
        )
        panels = [g for g in found["groups"] if g["group_type"] == "ward_panel"]
    return render_form(
        request,
        "agency_find_panel.html",
        errors,
        {"ward": ward},
        400 if errors else 200,
        title="Ward priorities",
        active="ward-plans",
        panels=panels,
        searched=bool(ward),
        police=who.staff.claims.kind == "police",
    )


def _plan_page(request: Request, who: AgencyStaff, group_id: str, period: str | None) -> Response:
    quarter = period_of(period)
    plan = read_plan(engagement(request, who.token), group_id, quarter)
    panel = panel_named(request, who, group_id, str(plan.get("ward_code") or ""))
    base = f"/ward-plans/{group_id}"
    return render_form(
        request,
        "agency_plan.html",
        title=f"Ward priorities, {quarter.words}: {panel['name']}",
        active="ward-plans",
        panel=panel,
        quarter=quarter,
        plan=plan,
        base=base,
        priorities=words.described(plan, who.agency_names),
        pagination=period_links(base, quarter),
        own_agency=who.agency,
        banner=BANNERS.get(request.query_params.get("done") or ""),
        police=who.staff.claims.kind == "police",
    )


@router.get(PLAN)
def panel_plan(request: Request, group_id: uuid.UUID, period: str | None = None) -> Response:
    return _plan_page(request, agency_staff(request), str(group_id), period)


def _action_form(
    request: Request,
    who: AgencyStaff,
    group_id: str,
    context: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    panel = panel_named(request, who, group_id)
    heading = "Change your action" if context.get("action") else "Record an action"
    return render_form(
        request,
        "agency_action.html",
        errors,
        values,
        status_code,
        title=f"{heading}: {panel['name']}",
        heading=heading,
        active="ward-plans",
        panel=panel,
        base=f"/ward-plans/{group_id}",
        pw=words,
        **context,
    )


def _values(action: dict[str, Any] | None) -> dict[str, str]:
    if action is None:
        return {"status": "", "description": "", "outcome": ""}
    year, month, day = (str(action["done_on"]) + "--").split("-")[:3]
    return {
        "description": str(action["description"]),
        "outcome": str(action.get("outcome") or ""),
        "status": str(action["status"]),
        "day": day.lstrip("0"),
        "month": month.lstrip("0"),
        "year": year,
    }


def _read(form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The form's values and the body engagement takes."""
    values = form_text(form, "description", "status", "outcome", "day", "month", "year")
    body = {k: values[k] for k in ("description", "status", "outcome")}
    return values, {**body, "done_on": words.action_date(values)}


@router.get(PLAN + "/priorities/{priority_id}/actions/new")
def new_action(
    request: Request, group_id: uuid.UUID, priority_id: str, period: str = ""
) -> Response:
    who, quarter = agency_staff(request), period_of(period or None)
    priority = priority_in(
        read_plan(engagement(request, who.token), str(group_id), quarter), priority_id
    )
    context = {"quarter": quarter, "priority": priority, "action": None}
    return _action_form(request, who, str(group_id), context, _values(None))


@router.post(PLAN + "/priorities/{priority_id}/actions/new")
async def record_action(
    request: Request, group_id: uuid.UUID, priority_id: str, period: str = ""
) -> Response:
    _user, form = await signed_in_form(request)
    who, quarter = agency_staff(request), period_of(period or None)
    api = engagement(request, who.token)
    priority = priority_in(read_plan(api, str(group_id), quarter), priority_id)
    values, body = _read(form)
    errors, status = words.action_errors(values), 400
    if not errors:
        try:
            api.record_action(priority_id, body)
        except Refusal as refused:
            errors, status = refused_errors(refused, "description"), refused.status
        else:
            return see_other(f"/ward-plans/{group_id}?period={quarter.code}&done=recorded")
    context = {"quarter": quarter, "priority": priority, "action": None}
    return _action_form(request, who, str(group_id), context, values, errors, status)


@router.get(PLAN + "/actions/{action_id}/edit")
def edit_action_form(
    request: Request, group_id: uuid.UUID, action_id: str, period: str = ""
) -> Response:
    who, quarter = agency_staff(request), period_of(period or None)
    action, priority = action_in(
        read_plan(engagement(request, who.token), str(group_id), quarter), action_id
    )
    context = {"quarter": quarter, "priority": priority, "action": action}
    return _action_form(request, who, str(group_id), context, _values(action))


@router.post(PLAN + "/actions/{action_id}/edit")
async def edit_action(
    request: Request, group_id: uuid.UUID, action_id: str, period: str = ""
) -> Response:
    _user, form = await signed_in_form(request)
    who, quarter = agency_staff(request), period_of(period or None)
    api = engagement(request, who.token)
    action, priority = action_in(read_plan(api, str(group_id), quarter), action_id)
    values, body = _read(form)
    errors, status = words.action_errors(values), 400
    if not errors:
        try:
            api.update_action(action_id, body)
        except Refusal as refused:
            errors, status = refused_errors(refused, "description"), refused.status
        else:
            return see_other(f"/ward-plans/{group_id}?period={quarter.code}&done=changed")
    context = {"quarter": quarter, "priority": priority, "action": action}
    return _action_form(request, who, str(group_id), context, values, errors, status)
