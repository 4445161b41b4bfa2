"""What engagement's pages read from its tables: a plan with its actions and reviews, the rows
a policy question needs, and a ward's published plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

import psycopg
from psycopg.rows import dict_row

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class PriorityRow:
    priority_id: str
    tenant: str
    group_id: str
    period: str


@dataclass(frozen=True)
class ActionRow:
    action_id: str
    tenant: str
    group_id: str
    priority_id: str
    agency: str


def find_priority(conn: Conn, priority_id: str) -> PriorityRow | None:
    """A live (not retired) priority."""
    row = conn.execute(
        "SELECT priority_id, tenant, group_id, period FROM priorities"
        " WHERE priority_id = %s AND NOT retired",
        (priority_id,),
    ).fetchone()
    return None if row is None else PriorityRow(*row)


def find_action(conn: Conn, action_id: str) -> ActionRow | None:
    row = conn.execute(
        "SELECT action_id, tenant, group_id, priority_id, agency FROM actions WHERE action_id = %s",
        (action_id,),
    ).fetchone()
    return None if row is None else ActionRow(*row)


def plan_view(conn: Conn, group_id: str, period: str, *, public: bool) -> dict[str, Any]:
    """The plan's live priorities in order, each with its actions and their reviews. The public
    form leaves out who recorded each action (an account id says nothing to residents)."""
    published = conn.execute(
        "SELECT published_at FROM plans WHERE group_id = %s AND period = %s", (group_id, period)
    ).fetchone()
    with conn.cursor(row_factory=dict_row) as cur:
        priorities = cur.execute(
            "SELECT priority_id, title, description, category, position FROM priorities"
            " WHERE group_id = %s AND period = %s AND NOT retired ORDER BY position",
            (group_id, period),
        ).fetchall()
        actions = cur.execute(
            "SELECT a.action_id, a.priority_id, a.agency, a.description, a.done_on, a.status,"
            " a.outcome, a.recorded_by, a.verdict, a.comment FROM actions a"
            " JOIN priorities p USING (priority_id)"
            " WHERE p.group_id = %s AND p.period = %s AND NOT p.retired ORDER BY a.action_id",
            (group_id, period),
        ).fetchall()
    agreed = agreed_at_events(conn, [p["priority_id"] for p in priorities])
    for priority in priorities:
        priority["actions"] = [
            _action(a, public) for a in actions if a["priority_id"] == priority["priority_id"]
        ]
        priority["agreed_at_events"] = agreed.get(priority["priority_id"], [])
    when = published[0] if published else None
    return {
        "period": period,
        "published_at": when.isoformat() if when else None,
        "priorities": priorities,
    }


def _action(row: dict[str, Any], public: bool) -> dict[str, Any]:
    review = {"verdict": row["verdict"], "comment": row["comment"]} if row["verdict"] else None
    shown = {
        "action_id": row["action_id"],
        "agency": row["agency"],
        "description": row["description"],
        "done_on": row["done_on"],
        "status": row["status"],
        "outcome": row["outcome"],
        "review": review,
    }
    return shown if public else {**shown, "recorded_by": row["recorded_by"]}


def agreed_at_events(conn: Conn, priority_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The actions agreed at engagement events for each of these priorities (an event's
    outcome names the priority), the earliest event first: the event's id, title and start,
    and what was agreed. Events are public, so this is too."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            "SELECT a->>'priority_id' AS priority_id, e.event_id, e.title, e.starts_at,"
            " a->>'description' AS description FROM engagement_events e"
            " CROSS JOIN LATERAL jsonb_array_elements(e.outcome->'actions_agreed') AS a"
            " WHERE e.outcome IS NOT NULL AND a->>'priority_id' = ANY(%s)"
            " ORDER BY e.starts_at, e.event_id",
            (priority_ids,),
        ).fetchall()
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row.pop("priority_id"), []).append(
            {
                **row,
                "starts_at": row["starts_at"].astimezone(UTC).isoformat().replace("+00:00", "Z"),
            }
        )
    return found


def published_plans(conn: Conn, tenant: str, ward_code: str) -> list[tuple[str, str]]:
    """The ward's published (group, period) plans, the latest period first."""
    rows = conn.execute(
        "SELECT group_id, period FROM plans WHERE tenant = %s AND ward_code = %s"
        " AND published_at IS NOT NULL ORDER BY period DESC, group_id",
        (tenant, ward_code),
    ).fetchall()
    return [(group_id, period) for group_id, period in rows]
