"""Engagement events for a signed-in account: the force's events still to come (the
organisers' console page, police and partners), and one event's page where a resident
registers their interest ("You are registered") or cancels the registration, and where its
organiser finds "Move this event", "Record what happened" and "Cancel this event"; the page
says when an event was moved and, once recorded, what happened at it. Engagement decides who
may register (member-kind accounts of the force) and refuses a cancelled or finished event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.token_claims import claims_of
from snp_portal.domain import engagement_events as words
from snp_portal.domain.refusals import sentence
from snp_portal.entrypoints.event_pages import (
    ORGANISING_KINDS,
    event_wards,
    events_api,
    may_organise,
    read_event,
)
from snp_portal.entrypoints.group_pages import Id
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import SignedIn, apis, see_other, signed_in, signed_in_form

router = APIRouter()
BANNERS = {
    "registered": "You are registered. You will be reminded the day before.",
    "withdrawn": "Your registration is cancelled.",
    "scheduled": "The event is arranged. It is listed on its wards' public pages.",
    "cancelled": "The event is cancelled. Everyone registered is told.",
    "moved": "The event is moved. Everyone registered is told the new time and place.",
    "outcome": "What happened is recorded. Everyone registered is told.",
}
REFUSED = {
    403: "Only residents' accounts can register for events. Use your own resident account.",
    409: "This event is cancelled or over: it takes no registrations.",
}


@router.get("/events")
def force_events(request: Request) -> Response:
    # In police's and partners' menus; residents find events on their ward's public page.
    user = signed_in_staff(request, ORGANISING_KINDS).user
    try:
        listed = apis(request).engagement.get(f"/public/{user.tenant}/events")["events"]
    except Refusal as refused:  # a force without ward panels has no events
        if refused.status != 404:
            raise
        listed = []
    wards = event_wards(request, user)
    events = [words.described(e, wards) for e in words.upcoming(listed, datetime.now(UTC))]
    return render_form(
        request,
        "events_force.html",
        title="Events",
        active="events",
        events=events,
    )


@router.get("/your-events")
def your_events(request: Request) -> Response:
    """Police, partners and panel officers: the events they (or their agency, or their panel)
    organise, still to come and over. Engagement and OPA decide which are theirs; other staff
    kinds organise none, so the page is another console to them (refused, as theirs are)."""
    user = signed_in(request)
    if claims_of(user.token).kind != "member":  # a member may hold a panel's office
        user = signed_in_staff(request, ORGANISING_KINDS).user
    listed = events_api(request, user).mine()
    wards = event_wards(request, user)
    now = datetime.now(UTC)
    still_to_come = {e["event_id"] for e in words.upcoming(listed, now)}
    coming = [words.described(e, wards) for e in listed if e["event_id"] in still_to_come]
    over = [words.described(e, wards) for e in listed if e["event_id"] not in still_to_come]
    return render_form(
        request,
        "events_yours.html",
        title="Your events",
        active="your-events",
        coming=coming,
        over=over,
        organiser=claims_of(user.token).kind in ORGANISING_KINDS,
    )


def _count(request: Request, user: SignedIn, event: dict[str, Any]) -> int | None:
    """The registrants' count for its organiser; None for anyone engagement will not tell."""
    try:
        return events_api(request, user).registered_count(event["event_id"])
    except Refusal:
        return None


def _event_page(
    request: Request,
    user: SignedIn,
    event: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    organiser = may_organise(request, user, event) and not event["cancelled"]
    now = datetime.now(UTC)
    return render_form(
        request,
        "events_event.html",
        errors,
        {},
        status_code,
        title=event["title"],
        active="events",
        event=event,
        resident=claims_of(user.token).kind == "member",
        agency_staff=claims_of(user.token).kind in ORGANISING_KINDS,
        tenant=user.tenant,
        organiser=organiser,
        may_move=organiser and words.london_time(event["ends_at"]) > now,
        may_record=organiser
        and not event.get("outcome")
        and words.london_time(event["starts_at"]) <= now,
        registered_count=_count(request, user, event) if organiser else None,
        banner=BANNERS.get(request.query_params.get("done") or ""),
    )


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: Id) -> Response:
    user = signed_in(request)
    event = read_event(events_api(request, user), event_id, event_wards(request, user))
    return _event_page(request, user, event)


async def _registration(request: Request, event_id: str, registering: bool) -> Response:
    user, _form = await signed_in_form(request)
    api = events_api(request, user)
    event = read_event(api, event_id, event_wards(request, user))
    try:
        api.register(event_id) if registering else api.withdraw(event_id)
    except Refusal as refused:
        if refused.status == 404:
            raise HTTPException(404) from refused
        text = REFUSED.get(refused.status) or sentence(refused.message)
        return _event_page(request, user, event, {"registration": text}, refused.status)
    done = "registered" if registering else "withdrawn"
    return see_other(f"/events/{event_id}?done={done}")


@router.post("/events/{event_id}/registration")
async def register(request: Request, event_id: Id) -> Response:
    return await _registration(request, event_id, registering=True)


@router.post("/events/{event_id}/registration/cancel")
async def withdraw(request: Request, event_id: Id) -> Response:
    return await _registration(request, event_id, registering=False)
