"""`/engagement/public/{tenant}/...events`: a ward's and a force's engagement events, and the
ward's iCalendar feed, for anyone, without a token (the tenant is in the path)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from snp_engagement.entrypoints.dependencies import context
from snp_engagement.entrypoints.routes_public import Tenant, Ward
from snp_engagement.service_layer import events_public

router = APIRouter(prefix="/engagement/public", tags=["public"])
ICALENDAR = "text/calendar; charset=utf-8"


@router.get("/{tenant}/events")
def force_events(tenant: Tenant, request: Request) -> dict[str, Any]:
    """The force's events, upcoming first (soonest first), then those that are over."""
    return events_public.force_events(context(request), tenant)


@router.get("/{tenant}/wards/{ward_code}/events")
def ward_events(tenant: Tenant, ward_code: Ward, request: Request) -> dict[str, Any]:
    return events_public.ward_events(context(request), tenant, ward_code)


@router.get(
    "/{tenant}/wards/{ward_code}/events.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def ward_feed(tenant: Tenant, ward_code: Ward, request: Request) -> Response:
    """The ward's events as an iCalendar feed (cancelled ones stay, with STATUS:CANCELLED)."""
    feed = events_public.ward_feed(context(request), tenant, ward_code)
    return Response(content=feed, media_type=ICALENDAR)
