"""Police alerts waiting for a second officer (the force's rule holds force-wide and urgent
ones): the list, one alert's page (what it would send, to whom, who wrote it and when), and its
steps: another officer approves it or rejects it saying why; its writer changes its words or
withdraws it. Messaging and the policy decide each step: the page offers only what the
officer may do, and a forced post gets messaging's refusal, said in words."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.held_alerts import HeldAlertsApi
from snp_portal.domain import alert_drafts as drafts
from snp_portal.domain import alert_governance as governance
from snp_portal.entrypoints.group_pages import Id, titled
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.routes_police_alerts_sent import audience_words
from snp_portal.entrypoints.staff import Staff, signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
POLICE = frozenset({"police"})
ENDED = {"reject": "rejected", "withdraw": "withdrawn"}
DONE = {
    "held": "Your alert is waiting for a second officer. It has not been sent yet.",
    "edited": "Your changes are saved. The alert is still waiting for a second officer.",
    "rejected": "The alert was rejected. It will not be sent.",
    "withdrawn": "You withdrew the alert. It will not be sent.",
}


@router.get("/police/alerts/waiting")
def waiting(request: Request) -> Response:
    staff = signed_in_staff(request, POLICE)
    found = HeldAlertsApi(apis(request), staff.token).waiting()
    for held in found:
        held["audience_words"] = audience_words(request, staff.token, held["audience"])
    return render_form(
        request,
        "police_alerts_waiting.html",
        title=titled("Alerts waiting for approval", "Alerts"),
        active="police-alerts",
        alerts=found,
        me=staff.claims.account_id,
        priorities=drafts.PRIORITIES,
    )


def _page(
    request: Request,
    staff: Staff,
    alert_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> Response:
    held = HeldAlertsApi(apis(request), staff.token).held(alert_id)
    mine = held["sender"]["id"] == staff.claims.account_id
    decider = "you" if held.get("decided_by") == staff.claims.account_id else None
    return render_form(
        request,
        "police_alert_waiting.html",
        errors,
        values,
        status_code,
        title=titled(held["subject"], "Alerts waiting for approval"),
        active="police-alerts",
        held=held,
        mine=mine,
        audience=audience_words(request, staff.token, held["audience"]),
        state=governance.what_became_of(held, decider),
        done=DONE.get(done or ""),
        types=drafts.TYPES,
        priorities=drafts.PRIORITIES,
    )


@router.get("/police/alerts/waiting/{alert_id}")
def held_alert(request: Request, alert_id: Id, done: str | None = None) -> Response:
    staff = signed_in_staff(request, POLICE)
    return _page(request, staff, alert_id, done=done)


async def _step(request: Request, alert_id: str, verb: str, missing: str | None) -> Response:
    """Approve, reject or withdraw: the reason checked first (nothing asked of messaging when
    it is wrong), then messaging's answer; its refusal is shown on the alert's page."""
    _user, fields = await signed_in_form(request)
    staff = signed_in_staff(request, POLICE)
    reason = governance.read_reason(fields, missing)
    if reason.errors:
        return await run_in_threadpool(
            _page, request, staff, alert_id, reason.errors, reason.values, 400
        )
    api = HeldAlertsApi(apis(request), staff.token)
    try:
        await run_in_threadpool(api.step, alert_id, verb, reason.values["reason"])
    except Refusal as refused:
        if refused.status not in (403, 409, 422):
            raise
        held = await run_in_threadpool(api.held, alert_id)
        mine = held["sender"]["id"] == staff.claims.account_id
        words = governance.refusal_words(refused.kind, mine and verb != "withdraw")
        return await run_in_threadpool(
            _page, request, staff, alert_id, {"reason": words}, reason.values, refused.status
        )
    if verb == "approve":
        return see_other(f"/police/alerts/{alert_id}?done=approved")
    return see_other(f"/police/alerts/waiting/{alert_id}?done={ENDED[verb]}")


@router.post("/police/alerts/waiting/{alert_id}/approve")
async def approve(request: Request, alert_id: Id) -> Response:
    return await _step(request, alert_id, "approve", None)


@router.post("/police/alerts/waiting/{alert_id}/reject")
async def reject(request: Request, alert_id: Id) -> Response:
    return await _step(request, alert_id, "reject", "Enter why you are rejecting the alert")


@router.post("/police/alerts/waiting/{alert_id}/withdraw")
async def withdraw(request: Request, alert_id: Id) -> Response:
    return await _step(request, alert_id, "withdraw", None)


def _edit_form(
    request: Request,
    held: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render_form(
        request,
        "police_alert_waiting_edit.html",
        errors,
        values,
        status_code,
        title=titled("Change the alert", "Alerts waiting for approval"),
        active="police-alerts",
        held=held,
        types=drafts.TYPES,
        priorities=drafts.PRIORITIES,
        priority_hints=drafts.PRIORITY_HINTS,
    )


@router.get("/police/alerts/waiting/{alert_id}/edit")
def edit_form(request: Request, alert_id: Id) -> Response:
    staff = signed_in_staff(request, POLICE)
    held = HeldAlertsApi(apis(request), staff.token).held(alert_id)
    values = {f: str(held[f]) for f in governance.WORDING_FIELDS}
    return _edit_form(request, held, values)


@router.post("/police/alerts/waiting/{alert_id}/edit")
async def edit(request: Request, alert_id: Id) -> Response:
    _user, fields = await signed_in_form(request)
    staff = signed_in_staff(request, POLICE)
    api = HeldAlertsApi(apis(request), staff.token)
    filled = governance.read_wording(fields)
    if filled.errors:
        held = await run_in_threadpool(api.held, alert_id)
        return await run_in_threadpool(_edit_form, request, held, filled.values, filled.errors, 400)
    try:
        await run_in_threadpool(api.edit, alert_id, filled.values)
    except Refusal as refused:
        if refused.status != 422:
            raise
        held = await run_in_threadpool(api.held, alert_id)
        errors = drafts.problem_errors(list(refused.problems), refused.message)
        return await run_in_threadpool(_edit_form, request, held, filled.values, errors, 422)
    return see_other(f"/police/alerts/waiting/{alert_id}?done=edited")
