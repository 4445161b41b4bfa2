"""The rows of engagement's part of a subject access export that are not reports: the
engagement events an account registered for (SQL over engagement's own tables)."""

from __future__ import annotations

from typing import Any

import psycopg

Conn = psycopg.Connection[Any]


def registrations(conn: Conn, tenant: str, account_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT e.event_id, e.title, e.kind, e.starts_at, e.place_text, e.status"
        " FROM event_registrations r JOIN engagement_events e ON e.event_id = r.event_id"
        " WHERE r.tenant = %s AND r.account_id = %s ORDER BY e.starts_at, e.event_id",
        (tenant, account_id),
    ).fetchall()
    keys = ("event_id", "title", "kind", "starts_at", "place", "status")
    return [dict(zip(keys, row, strict=True)) for row in rows]
