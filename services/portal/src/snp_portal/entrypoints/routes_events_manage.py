"""Organisers' event pages: police and partners arrange an event for their agency
(`/events/new`; a panel's officers call a panel meeting with the same form, in
routes_events_panel.py), and an organiser cancels an event behind a page that asks why. The
form's own checks come first (400, engagement not asked); engagement's 422 lands on the field
it is about and its 403 says the account cannot; either way nothing is recorded."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import engagement_events as words
from snp_portal.domain.ward_priorities import POLICE_AGENCY
from snp_portal.domain.wards import picked, split_known
from snp_portal.entrypoints.agency_plans import agency_staff
from snp_portal.entrypoints.event_pages import events_api, read_event
from snp_portal.entrypoints.force_wards import wards_for
from snp_portal.entrypoints.group_pages import Id
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.plan_pages import form_text
from snp_portal.entrypoints.web import SignedIn, see_other, signed_in, signed_in_form

router = APIRouter()
FIELDS = (
    "kind", "title", "description", "other_wards", "day", "month", "year", "start_time",
    "end_day", "end_month", "end_year", "end_time", "place", "postcode", "to_be_confirmed",
    "organising_agency", "contact_role",
)  # fmt: skip


def event_form(
    request: Request,
    context: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The form, its wards offered by name (`context["wards"]`) and ticked as chosen; a code
    chosen that the list lacks stays in the box for other wards."""
    known = context["wards"]
    ticked, others = split_known(words.ward_codes(values.get("wards", "")), known)
    values = {**values, "other_wards": others}
    items = [
        {"value": code, "text": name, "hint": {"text": code}, "checked": code in ticked}
        for code, name in known.items()
    ]
    return render_form(
        request,
        "events_new.html",
        errors,
        values,
        status_code,
        active="events",
        ward_items=items,
        **context,
    )


async def schedule(
    request: Request,
    user: SignedIn,
    form: dict[str, str],
    context: dict[str, Any],
    group_id: str = "",
) -> Response:
    values = form_text(form, *FIELDS)
    ticked = [str(v) for v in (await request.form()).getlist("ward")]
    values["wards"] = ", ".join(picked(ticked, values["other_wards"]))
    if group_id:  # a panel meeting is a panel meeting whatever was posted
        values["kind"] = words.PANEL_MEETING
    errors, status = words.event_errors(values, context["kinds"]), 400
    if not errors:
        try:
            event_id = events_api(request, user).schedule(words.event_body(values, group_id))
        except Refusal as refused:
            errors = words.refusal_errors(refused.status, refused.problems, refused.message)
            status = refused.status
        else:
            return see_other(f"/events/{event_id}?done=scheduled")
    return event_form(request, context, values, errors, status)


def _agency_context(request: Request) -> tuple[SignedIn, dict[str, Any], dict[str, str]]:
    """Police and partners with their second factor; the organiser as residents read it
    offered: the force for police, the agency's name for a partner."""
    who = agency_staff(request)
    organiser = who.force or "Police"
    if who.agency != POLICE_AGENCY:
        organiser = who.agency_names.get(who.agency, "")
    context = {
        "title": "Arrange an event",
        "kinds": words.AGENCY_KINDS,
        "action": "/events/new",
        "wards": wards_for(request, who.staff.user),
    }
    return who.staff.user, context, {"organising_agency": organiser}


@router.get("/events/new")
def new_event(request: Request) -> Response:
    _user, context, values = _agency_context(request)
    return event_form(request, context, values)


@router.post("/events/new")
async def schedule_event(request: Request) -> Response:
    _user, form = await signed_in_form(request)  # the CSRF token before anyone is asked
    user, context, _values = _agency_context(request)
    return await schedule(request, user, form, context)


def _cancel_page(
    request: Request,
    event: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render_form(
        request,
        "events_cancel.html",
        errors,
        values,
        status_code,
        title=f"Cancel “{event['title']}”?",
        active="events",
        event=event,
    )


@router.get("/events/{event_id}/cancel")
def cancel_form(request: Request, event_id: Id) -> Response:
    event = read_event(events_api(request, signed_in(request)), event_id)
    return _cancel_page(request, event, {"reason": ""})


@router.post("/events/{event_id}/cancel")
async def cancel_event(request: Request, event_id: Id) -> Response:
    user, form = await signed_in_form(request)
    api = events_api(request, user)
    event = read_event(api, event_id)
    values = form_text(form, "reason")
    if len(values["reason"]) > words.MAX_REASON:
        errors = {"reason": f"The reason must be {words.MAX_REASON:,} characters or fewer"}
        return _cancel_page(request, event, values, errors, 400)
    try:
        api.cancel(event_id, values["reason"])
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from refused
        text = words.cancel_refusal(refused.status, refused.message)
        return _cancel_page(request, event, values, {"reason": text}, refused.status)
    return see_other(f"/events/{event_id}?done=cancelled")
