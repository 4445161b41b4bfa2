"""An organiser moves an event (a new day, times and place) or records what happened at it
(the issues raised and the actions agreed). Each form starts from the event as it is; its own
checks come first (400, engagement not asked); engagement's refusals (403: not the organiser;
409: cancelled, over, too early, already recorded; 422 on a field) are said in the error
summary, and nothing changes. Engagement tells everyone registered (messaging's notices)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import engagement_events as words
from snp_portal.domain import event_changes as changes
from snp_portal.entrypoints.event_pages import event_wards, events_api, read_event
from snp_portal.entrypoints.group_pages import Id
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.plan_pages import form_text
from snp_portal.entrypoints.web import see_other, signed_in, signed_in_form

router = APIRouter()


def _page(
    request: Request,
    template: str,
    title: str,
    event: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render_form(
        request, template, errors, values, status_code, title=title, active="events", event=event
    )


def _move_page(request: Request, event: dict[str, Any], *args: Any) -> Response:
    return _page(request, "events_move.html", f"Move “{event['title']}”", event, *args)


def _outcome_page(
    request: Request,
    event: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str] | None,
    status_code: int,
    priorities: list[dict[str, Any]],
) -> Response:
    title = f"What happened at “{event['title']}”"
    linkable = [
        {**p, "field": changes.priority_field(p), "period_words": changes.period_words(p)}
        for p in priorities
    ]
    return render_form(
        request,
        "events_outcome.html",
        errors,
        values,
        status_code,
        title=title,
        active="events",
        event=event,
        priorities=linkable,
    )


def _event(request: Request, event_id: str) -> dict[str, Any]:
    user = signed_in(request)
    return read_event(events_api(request, user), event_id, event_wards(request, user))


@router.get("/events/{event_id}/move")
def move_form(request: Request, event_id: Id) -> Response:
    event = _event(request, event_id)
    return _move_page(request, event, changes.move_values(event))


@router.post("/events/{event_id}/move")
async def move_event(request: Request, event_id: Id) -> Response:
    user, form = await signed_in_form(request)
    event = _event(request, event_id)
    values = form_text(form, *changes.MOVE_FIELDS)
    errors = changes.move_errors(values, datetime.now(UTC))
    if errors:
        return _move_page(request, event, values, errors, 400)
    try:
        events_api(request, user).move(event_id, changes.move_body(values))
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from refused
        if refused.status == 422:
            errors = words.refusal_errors(refused.status, refused.problems, refused.message)
            errors = {("event_day" if k == "title" else k): v for k, v in errors.items()}
        else:
            errors = {
                "event_day": changes.change_refusal(refused.status, refused.message, "move it")
            }
        return _move_page(request, event, values, errors, refused.status)
    return see_other(f"/events/{event_id}?done=moved")


def _priorities(request: Request, event_id: str) -> list[dict[str, Any]]:
    """The ward priorities an action agreed may be for; none for anyone engagement refuses."""
    try:
        return events_api(request, signed_in(request)).linkable_priorities(event_id)
    except Refusal:
        return []


@router.get("/events/{event_id}/outcome")
def outcome_form(request: Request, event_id: Id) -> Response:
    event, priorities = _event(request, event_id), _priorities(request, event_id)
    values = dict.fromkeys(changes.outcome_fields(priorities), "")
    return _outcome_page(request, event, values, None, 200, priorities)


@router.post("/events/{event_id}/outcome")
async def record_outcome(request: Request, event_id: Id) -> Response:
    user, form = await signed_in_form(request)
    event, priorities = _event(request, event_id), _priorities(request, event_id)
    values = form_text(form, *changes.outcome_fields(priorities))
    errors = changes.outcome_errors(values, priorities)
    if errors:
        return _outcome_page(request, event, values, errors, 400, priorities)
    try:
        body = changes.outcome_body(values, priorities)
        events_api(request, user).record_outcome(event_id, body)
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from refused
        doing = "record what happened"
        text = changes.change_refusal(refused.status, refused.message, doing)
        errors = {"issues_raised": text}
        return _outcome_page(request, event, values, errors, refused.status, priorities)
    return see_other(f"/events/{event_id}?done=outcome")
