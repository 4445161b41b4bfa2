"""A member's preferences and the delivery problems marked against their contacts, as read
(both are written by the read model of messaging's own events)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from snp_messaging.domain.messages import Priority
from snp_messaging.domain.preferences import Preferences

Conn = psycopg.Connection[Any]


def find_preferences(conn: Conn, tenant: str, account_id: str) -> Preferences | None:
    """The member's preferences, or None if they never set any."""
    row = conn.execute(
        "SELECT channels, areas, minimum_priority FROM preferences "
        "WHERE tenant = %s AND account_id = %s",
        (tenant, account_id),
    ).fetchone()
    return None if row is None else Preferences(tuple(row[0]), tuple(row[1]), Priority(row[2]))


def contact_problems(
    conn: Conn, tenant: str, account_id: str
) -> list[tuple[str, str, str, datetime]]:
    """(channel, outcome, reason, recorded at) of each channel with a problem, by channel."""
    rows = conn.execute(
        "SELECT channel, outcome, reason, recorded_at FROM contact_problems "
        "WHERE tenant = %s AND account_id = %s ORDER BY channel",
        (tenant, account_id),
    ).fetchall()
    return [(str(c), str(o), str(r), t) for c, o, r, t in rows]


def channels_with_problems(conn: Conn, account_id: str) -> set[str]:
    """The channels marked with a delivery problem for the account."""
    rows = conn.execute(
        "SELECT channel FROM contact_problems WHERE account_id = %s", (account_id,)
    ).fetchall()
    return {str(r[0]) for r in rows}
