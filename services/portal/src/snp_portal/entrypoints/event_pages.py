"""What the event pages share: engagement's events API with the user's token, one event read
for the signed-in user (another force's, or an unknown id, is "Page not found"), and whether
to offer a signed-in account the organiser's controls. Offering only hides what engagement
refuses anyway: its policy decides every change (a forged post meets its 403)."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.engagement_events import EventsApi
from snp_portal.adapters.token_claims import claims_of
from snp_portal.domain import engagement_events as words
from snp_portal.entrypoints.force_wards import wards_for
from snp_portal.entrypoints.web import SignedIn, apis

ORGANISING_KINDS = frozenset({"police", "partner"})
PANEL_OFFICES = frozenset({"chair", "vice_chair", "secretary"})


def events_api(request: Request, user: SignedIn) -> EventsApi:
    return EventsApi(apis(request).engagement, user.token)


def event_wards(request: Request, user: SignedIn) -> dict[str, str]:
    """The names of the wards an event page shows (with their codes)."""
    return wards_for(request, user)


def read_event(
    api: EventsApi, event_id: str, ward_names: dict[str, str] | None = None
) -> dict[str, Any]:
    """The event with its words; a refusal to show it reads as an unknown id."""
    try:
        return words.described(api.event(event_id), ward_names)
    except Refusal as refused:
        if refused.status in (403, 404, 422):
            raise HTTPException(404) from refused
        raise


def panels_led(request: Request, user: SignedIn) -> list[dict[str, Any]]:
    """The ward panels in which the user holds an office (their panel meetings' organisers)."""
    mine = apis(request).membership.get("/me/groups", user.token)
    return [
        g
        for g in mine["groups"]
        if g.get("group_type") == "ward_panel" and PANEL_OFFICES & set(g.get("roles") or [])
    ]


def may_organise(request: Request, user: SignedIn, event: dict[str, Any]) -> bool:
    """Whether to offer "Cancel this event": police and partners (engagement checks the
    agency), and officers of a ward panel in a panel meeting's ward."""
    kind = claims_of(user.token).kind
    if kind in ORGANISING_KINDS:
        return True
    if kind != "member" or event["kind"] != words.PANEL_MEETING:
        return False
    wards = set(event["ward_codes"])
    return any(g.get("ward_code") in wards for g in panels_led(request, user))
