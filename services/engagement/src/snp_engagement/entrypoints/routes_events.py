"""`/engagement/events`: engagement events scheduled, moved, cancelled and followed up by
their organisers, and residents' registrations of interest."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_engagement.domain.rules import InvalidInput
from snp_engagement.entrypoints.dependencies import context, metadata
from snp_engagement.entrypoints.events_schemas import CancelIn, EventIn, OutcomeIn, TimesIn
from snp_engagement.service_layer import (
    events_mine,
    events_priorities,
    events_public,
    events_scheduling,
    registrations,
)
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/engagement/events", tags=["events"])
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]


@router.post("", status_code=201)
def schedule_event(body: EventIn, request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    """Police and partners (for their agency); a panel meeting by its panel's officers."""
    meta = metadata(request, principal.account_id)
    ctx = context(request)
    event_id = events_scheduling.schedule(ctx, principal, body.details(), body.group_id, meta)
    return {"event_id": event_id}


@router.get("")
def my_events(request: Request, principal: CurrentPrincipal, mine: bool = False) -> dict[str, Any]:
    """`?mine=true`: the events the caller's agency or the caller organised (and a panel's
    officers' panel meetings), upcoming first, then those that are over. The force's whole
    list is public, at `/engagement/public/{tenant}/events`."""
    if not mine:
        raise InvalidInput("only your own events are listed here (mine=true)")
    return events_mine.my_events(context(request), principal)


@router.get("/{event_id}")
def read_event(event_id: Id, request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    return events_public.read_event(context(request), principal, event_id)


@router.post("/{event_id}/move", status_code=204)
def move_event(
    event_id: Id, body: TimesIn, request: Request, principal: CurrentPrincipal
) -> Response:
    """New times and place (all of them); everyone registered is told."""
    meta = metadata(request, principal.account_id)
    times, place = body.times(), body.place.place()
    events_scheduling.move(context(request), principal, event_id, times, place, meta)
    return Response(status_code=204)


@router.post("/{event_id}/cancel", status_code=204)
def cancel_event(
    event_id: Id, body: CancelIn, request: Request, principal: CurrentPrincipal
) -> Response:
    meta = metadata(request, principal.account_id)
    events_scheduling.cancel(context(request), principal, event_id, body.reason.strip(), meta)
    return Response(status_code=204)


@router.put("/{event_id}/outcome", status_code=204)
def record_outcome(
    event_id: Id, body: OutcomeIn, request: Request, principal: CurrentPrincipal
) -> Response:
    """After the event: issues raised, actions agreed (each optionally for a priority of a
    panel in the event's wards), and how many came (optional)."""
    meta = metadata(request, principal.account_id)
    events_scheduling.record_outcome(
        context(request),
        principal,
        event_id,
        (body.issues_raised, body.actions(), body.attendance),
        meta,
    )
    return Response(status_code=204)


@router.get("/{event_id}/priorities")
def linkable_priorities(
    event_id: Id, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """The organiser's choice for an agreed action: the live priorities in the event's wards."""
    return events_priorities.linkable_priorities(context(request), principal, event_id)


@router.post("/{event_id}/registration", status_code=204)
def register(event_id: Id, request: Request, principal: CurrentPrincipal) -> Response:
    """A resident registers their interest (again: no change)."""
    meta = metadata(request, principal.account_id)
    registrations.register(context(request), principal, event_id, meta)
    return Response(status_code=204)


@router.delete("/{event_id}/registration", status_code=204)
def withdraw(event_id: Id, request: Request, principal: CurrentPrincipal) -> Response:
    meta = metadata(request, principal.account_id)
    registrations.withdraw(context(request), principal, event_id, meta)
    return Response(status_code=204)


@router.get("/{event_id}/registrations")
def registered(event_id: Id, request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    """The count and the account ids (never names): police and the organiser."""
    return registrations.registered(context(request), principal, event_id)
