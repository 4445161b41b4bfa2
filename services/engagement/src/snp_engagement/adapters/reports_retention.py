"""The queries and deletions of report retention: which closed reports are past their force's
retention, and destroying a report's key and photo (crypto-shredding: its sealed texts stay,
here, in Kafka and in audit, and can no longer be opened)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

Conn = psycopg.Connection[Any]


@dataclass(frozen=True)
class Expired:
    tenant: str
    report_id: str
    days: int  # the retention it was kept for


def retention_days(conn: Conn, tenant: str) -> int | None:
    """The force's own retention, None when it set none (the default applies)."""
    row = conn.execute(
        "SELECT days_after_closing FROM report_retention WHERE tenant = %s", (tenant,)
    ).fetchone()
    return None if row is None else int(row[0])


def expired(conn: Conn, default_days: int, now: datetime, limit: int) -> list[Expired]:
    """Closed, not yet shredded reports whose closing is older than their force's retention."""
    rows = conn.execute(
        "SELECT r.tenant, r.report_id, coalesce(t.days_after_closing, %(default)s)"
        " FROM reports r JOIN report_updates u ON u.report_id = r.report_id"
        " AND u.status = 'closed'"
        " LEFT JOIN report_retention t ON t.tenant = r.tenant"
        " WHERE r.status = 'closed' AND r.shredded_at IS NULL"
        " AND u.at + make_interval(days => coalesce(t.days_after_closing, %(default)s))"
        " < %(now)s ORDER BY u.at LIMIT %(limit)s",
        {"default": default_days, "now": now, "limit": limit},
    ).fetchall()
    return [Expired(tenant, report_id, int(days)) for tenant, report_id, days in rows]


def destroy_key_and_photo(conn: Conn, report_id: str) -> bool:
    """Delete the report's data key and photo segments; whether there was a key to delete."""
    conn.execute("DELETE FROM report_photos WHERE report_id = %s", (report_id,))
    deleted = conn.execute("DELETE FROM report_keys WHERE report_id = %s", (report_id,))
    return deleted.rowcount > 0


def lock_unshredded(conn: Conn, report_id: str) -> bool:
    """Hold the report's row for this transaction; False when it is shredded already (another
    run got there first)."""
    row = conn.execute(
        "SELECT 1 FROM reports WHERE report_id = %s AND shredded_at IS NULL FOR UPDATE",
        (report_id,),
    ).fetchone()
    return row is not None
