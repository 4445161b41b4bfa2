"""A ward's engagement events `/public/{tenant}/wards/{ward}/events`, for anyone, signed in
or not: what is still to come (surgeries, walkabouts, panel meetings), when in London's time,
where, who organises it, and the ward's iCalendar feed, passed through from engagement so a
calendar app can subscribe to it here. Nothing shown names an account."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.engagement_events import ward_calendar, ward_events
from snp_portal.domain import engagement_events as words
from snp_portal.entrypoints.force_pages import maybe_signed_in, the_force
from snp_portal.entrypoints.force_wards import public_panel_wards
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.routes_ward_public import _ward_name
from snp_portal.entrypoints.web import apis

router = APIRouter()
_WARD = re.compile(r"^[A-Za-z0-9]{1,16}$")  # engagement's ward codes (ONS codes)
ICALENDAR = "text/calendar; charset=utf-8"


@router.get("/public/{tenant}/wards/{ward}/events")
def ward_events_page(request: Request, tenant: str, ward: str) -> Response:
    force = the_force(request, tenant)
    maybe_signed_in(request)  # the header's menu
    if not _WARD.match(ward):
        raise HTTPException(404)
    try:
        listed = ward_events(apis(request).engagement, force.slug, ward)
    except Refusal as refused:  # no ward panel of this force in that ward
        if refused.status in (404, 422):
            raise HTTPException(404) from refused
        raise
    ward_name = _ward_name(request, force.slug, ward)
    wards = public_panel_wards(request, force.slug)
    events = [words.described(e, wards) for e in words.upcoming(listed, datetime.now(UTC))]
    return render(
        request,
        "events_ward.html",
        title=f"Events in {ward_name}",
        active="find",
        force_name=force.display_name,
        force_slug=force.slug,
        ward=ward,
        ward_name=ward_name,
        events=events,
        errors={},
    )


@router.get("/public/{tenant}/wards/{ward}/events.ics")
def ward_feed(request: Request, tenant: str, ward: str) -> Response:
    force = the_force(request, tenant)
    if not _WARD.match(ward):
        raise HTTPException(404)
    try:
        feed = ward_calendar(apis(request).engagement, force.slug, ward)
    except Refusal as refused:  # no ward panel of this force in that ward
        if refused.status in (404, 422):
            raise HTTPException(404) from refused
        raise
    disposition = f'inline; filename="events-{ward}.ics"'
    return Response(feed, media_type=ICALENDAR, headers={"Content-Disposition": disposition})
