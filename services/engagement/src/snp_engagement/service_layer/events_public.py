"""Engagement events as residents see them: a ward's and a force's lists (no token: events
are public by their organisers' act), the ward's iCalendar feed, and one event for a signed-in
account of the force. Nothing shown names an account, nor a hidden panel: its meetings' texts
name it by its ward (`public_texts`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from snp_engagement.adapters import events_calendar, events_queries, roles
from snp_engagement.domain.events_times import london_text
from snp_engagement.domain.panel_names import Panel, unnamed
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_engagement.service_layer.events_access import READ, event_resource, find_event, require
from snp_platform.tokens import Principal


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


_TEXTS = ("title", "description", "place_text", "organising_agency", "contact_role")


def public_texts(row: dict[str, Any]) -> dict[str, Any]:
    """The row with a hidden panel's name replaced by its ward label in every text (typed
    before the panel was hidden or renamed: scheduling refuses it since); others unchanged."""
    if row.get("panel_visibility") in (None, "public"):
        return row
    panel = Panel(row["panel_name"], row["panel_ward_code"], row["panel_ward_name"], True)
    return {**row, **{field: unnamed(row[field], panel) for field in _TEXTS}}


def shown(row: dict[str, Any]) -> dict[str, Any]:
    """An event as the public sees it: no account ids, nor the panel of a panel meeting."""
    return {
        "event_id": row["event_id"],
        "kind": row["kind"],
        "title": row["title"],
        "description": row["description"],
        "ward_codes": list(row["ward_codes"]),
        "starts_at": _iso(row["starts_at"]),
        "ends_at": _iso(row["ends_at"]),
        "starts_at_london": london_text(int(row["starts_at"].timestamp())),
        "ends_at_london": london_text(int(row["ends_at"].timestamp())),
        "place": {
            "text": row["place_text"],
            "postcode": row["postcode"] or None,
            "to_be_confirmed": row["place_tbc"],
        },
        "location": events_calendar.location(row),
        "organising_agency": row["organising_agency"],
        "contact_role": row["contact_role"],
        "status": row["status"],
        "cancel_reason": row["cancel_reason"] or None,
        "sequence": row["sequence"],
        "outcome": row["outcome"],
    }


def ward_events(ctx: EngagementContext, tenant: str, ward_code: str) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        if not roles.ward_has_panel(conn, tenant, ward_code):
            raise NotFound("no such ward")
        rows = events_queries.listed_events(conn, tenant, ward_code, datetime.now(UTC))
    return {
        "tenant": tenant,
        "ward_code": ward_code,
        "events": [shown(public_texts(r)) for r in rows],
    }


def force_events(ctx: EngagementContext, tenant: str) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        if not events_queries.force_has_panels(conn, tenant):
            raise NotFound("no such force")
        rows = events_queries.listed_events(conn, tenant, None, datetime.now(UTC))
    return {"tenant": tenant, "events": [shown(public_texts(r)) for r in rows]}


def ward_feed(ctx: EngagementContext, tenant: str, ward_code: str) -> bytes:
    """The ward's events as iCalendar, for residents' calendar apps to subscribe to."""
    with ctx.pool.connection() as conn:
        if not roles.ward_has_panel(conn, tenant, ward_code):
            raise NotFound("no such ward")
        rows = events_queries.listed_events(conn, tenant, ward_code, datetime.now(UTC))
    name = f"Safer Neighbourhoods events, ward {ward_code}"
    return events_calendar.ward_calendar(name, [public_texts(r) for r in rows])


def read_event(ctx: EngagementContext, principal: Principal, event_id: str) -> dict[str, Any]:
    """One event for an account of its force, with whether the caller registered."""
    with ctx.pool.connection() as conn:
        row = find_event(conn, event_id)
        require(ctx, conn, principal, READ, event_resource(row))
        view = events_queries.event_view(conn, event_id)
        registered = events_queries.is_registered(conn, event_id, principal.account_id)
    if view is None:
        raise NotFound("no such event")
    return {**shown(public_texts(view)), "registered": registered}
