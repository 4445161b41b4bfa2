"""A ward panel's events, for its members (`/groups/{id}/events`, in the group's
sub-navigation): the events still to come in the panel's ward, and for its officers "Arrange a
panel meeting" (the organisers' form, its kind fixed). Whether the user is an officer only
chooses what is offered; engagement lets a panel meeting be called by its panel's officers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.engagement_events import ward_events
from snp_portal.domain import engagement_events as words
from snp_portal.entrypoints.force_wards import public_panel_wards
from snp_portal.entrypoints.group_pages import GroupPage, Id, group_page, render_group
from snp_portal.entrypoints.routes_events_manage import event_form, schedule
from snp_portal.entrypoints.web import apis, signed_in_form

router = APIRouter()


def _panel(request: Request, group_id: str) -> GroupPage:
    page = group_page(request, group_id)
    if page.group["group_type"] != "ward_panel":
        raise HTTPException(404)
    return page


@router.get("/groups/{group_id}/events")
def panel_events(request: Request, group_id: Id) -> Response:
    page = _panel(request, group_id)
    group = page.group
    try:
        listed = ward_events(apis(request).engagement, group["tenant"], group["ward_code"])
    except Refusal as refused:  # engagement has not learnt of the panel yet
        if refused.status != 404:
            raise
        listed = []
    wards = public_panel_wards(request, group["tenant"])
    events = [words.described(e, wards) for e in words.upcoming(listed, datetime.now(UTC))]
    return render_group(request, "events_panel.html", page, "events", "Events", events=events)


def _context(request: Request, page: GroupPage) -> tuple[dict[str, Any], dict[str, str]]:
    group = page.group
    wards = public_panel_wards(request, group["tenant"])
    if group.get("ward_code"):  # a hidden panel's own ward is known to its officers
        wards = {group["ward_code"]: group.get("ward_name") or group["ward_code"]} | wards
    # The event is public: a hidden panel's meeting is offered as its ward's panel, so its
    # name reaches neither partners nor the public unless its officers type it.
    organiser = group["name"]
    if group.get("visibility") == "hidden":
        organiser = f"{group.get('ward_name') or group.get('ward_code') or 'The'} ward panel"
    context = {
        "wards": wards,
        "title": f"Arrange a panel meeting: {group['name']}",
        "kinds": {words.PANEL_MEETING: words.KINDS[words.PANEL_MEETING]},
        "action": f"/groups/{page.group_id}/events/new",
        "group": group,
    }
    return context, {"wards": str(group.get("ward_code") or ""), "organising_agency": organiser}


@router.get("/groups/{group_id}/events/new")
def new_panel_meeting(request: Request, group_id: Id) -> Response:
    context, values = _context(request, _panel(request, group_id))
    return event_form(request, context, {**values, "kind": words.PANEL_MEETING})


@router.post("/groups/{group_id}/events/new")
async def schedule_panel_meeting(request: Request, group_id: Id) -> Response:
    user, form = await signed_in_form(request)
    page = _panel(request, group_id)
    context, _values = _context(request, page)
    return await schedule(request, user, form, context, page.group_id)
