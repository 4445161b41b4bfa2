"""What engagement events' pages and policy questions read: one event, a ward's or a force's
events (upcoming first), and who registered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

Conn = psycopg.Connection[Any]
MAX_LISTED = 200  # a ward's or force's list stays a page, not an archive

_COLUMNS = (
    "event_id, tenant, kind, title, description, ward_codes, starts_at, ends_at, place_text,"
    " postcode, place_tbc, agency, organising_agency, contact_role, group_id, sequence, status,"
    " cancel_reason, outcome, changed_at,"
    # A panel meeting's panel as naming it needs (NULL for other events); never shown itself.
    " (SELECT g.name FROM groups g WHERE g.group_id = engagement_events.group_id) AS panel_name,"
    " (SELECT g.ward_code FROM groups g WHERE g.group_id = engagement_events.group_id)"
    " AS panel_ward_code,"
    " (SELECT g.ward_name FROM groups g WHERE g.group_id = engagement_events.group_id)"
    " AS panel_ward_name,"
    " (SELECT g.visibility FROM groups g WHERE g.group_id = engagement_events.group_id)"
    " AS panel_visibility"
)
# Upcoming (not yet over) first, soonest first; then those that are over, latest first.
_UPCOMING_FIRST = (
    " ORDER BY ends_at < %(now)s, CASE WHEN ends_at >= %(now)s THEN starts_at END,"
    " starts_at DESC, event_id LIMIT %(limit)s"
)


@dataclass(frozen=True)
class EventRow:
    event_id: str
    tenant: str
    kind: str
    agency: str
    group_id: str
    ward_codes: tuple[str, ...]


def find_event(conn: Conn, event_id: str) -> EventRow | None:
    row = conn.execute(
        "SELECT event_id, tenant, kind, agency, group_id, ward_codes FROM engagement_events"
        " WHERE event_id = %s",
        (event_id,),
    ).fetchone()
    if row is None:
        return None
    event_id, tenant, kind, agency, group_id, wards = row
    return EventRow(event_id, tenant, kind, agency, group_id, tuple(wards))


def event_view(conn: Conn, event_id: str) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            f"SELECT {_COLUMNS} FROM engagement_events WHERE event_id = %s",  # noqa: S608
            (event_id,),
        ).fetchone()
    return row


def listed_events(
    conn: Conn, tenant: str, ward_code: str | None, now: datetime
) -> list[dict[str, Any]]:
    """The force's events (or one ward's), upcoming first, as rows of `engagement_events`."""
    in_ward = " AND ward_codes @> ARRAY[%(ward)s]::text[]" if ward_code else ""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM engagement_events WHERE tenant = %(tenant)s"  # noqa: S608
            + in_ward
            + _UPCOMING_FIRST,
            {"tenant": tenant, "ward": ward_code, "now": now, "limit": MAX_LISTED},
        ).fetchall()


def organised_events(conn: Conn, tenant: str, agency: str, account_id: str) -> list[dict[str, Any]]:
    """The force's events this account may have organised, upcoming first: its agency's (an
    agency of "" matches none), those it scheduled, and those of the panels it holds a role
    in (panel meetings). The policy decides which of them it organises."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM engagement_events WHERE tenant = %(tenant)s"  # noqa: S608
            " AND ((agency = %(agency)s AND %(agency)s <> '') OR scheduled_by = %(account)s"
            " OR group_id IN (SELECT group_id FROM group_roles WHERE account_id = %(account)s))"
            + _UPCOMING_FIRST,
            {
                "tenant": tenant,
                "agency": agency,
                "account": account_id,
                "now": datetime.now(UTC),
                "limit": MAX_LISTED,
            },
        ).fetchall()


def registered_accounts(conn: Conn, event_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT account_id FROM event_registrations WHERE event_id = %s ORDER BY account_id",
        (event_id,),
    ).fetchall()
    return [str(r[0]) for r in rows]


def is_registered(conn: Conn, event_id: str, account_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM event_registrations WHERE event_id = %s AND account_id = %s",
        (event_id, account_id),
    ).fetchone()
    return row is not None


def live_priority_ward(conn: Conn, priority_id: str) -> tuple[str, str] | None:
    """The tenant and ward of a live priority (its panel's plan's ward), else None: an
    agreed action may be linked to a priority of a panel in one of the event's wards."""
    row = conn.execute(
        "SELECT p.tenant, pl.ward_code FROM priorities p JOIN plans pl USING (group_id, period)"
        " WHERE p.priority_id = %s AND NOT p.retired",
        (priority_id,),
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def priorities_in_wards(conn: Conn, tenant: str, ward_codes: list[str]) -> list[dict[str, Any]]:
    """The live priorities of the plans in these wards, the latest period first, each by its
    ward and period (not its panel)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            "SELECT p.priority_id, p.title, p.period, pl.ward_code FROM priorities p"
            " JOIN plans pl USING (group_id, period)"
            " WHERE pl.tenant = %s AND pl.ward_code = ANY(%s) AND NOT p.retired"
            " ORDER BY p.period DESC, pl.ward_code, p.position, p.priority_id LIMIT %s",
            (tenant, ward_codes, MAX_LISTED),
        ).fetchall()


def force_has_panels(conn: Conn, tenant: str) -> bool:
    """Whether the force has any ward panel (its public events list exists)."""
    row = conn.execute(
        "SELECT 1 FROM groups WHERE tenant = %s AND group_type = 'ward_panel' LIMIT 1", (tenant,)
    ).fetchone()
    return row is not None
