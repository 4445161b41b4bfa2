"""A member's preferences and the delivery problems marked against their contacts, as read
(both are written by the read model of messaging's own events)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import psycopg

from snp_messaging.domain.digests import Cadence
from snp_messaging.domain.london import parse_clock_time
from snp_messaging.domain.messages import Priority
from snp_messaging.domain.preferences import Preferences
from snp_messaging.domain.quiet_hours import QuietHours

Conn = psycopg.Connection[Any]


# The columns preferences_of reads, in its order (prefixed by the caller's alias if any).
PREFERENCE_COLUMNS = (
    "channels",
    "areas",
    "minimum_priority",
    "digest",
    "digest_below",
    "quiet_start",
    "quiet_end",
)


def preferences_of(row: Sequence[Any]) -> Preferences:
    """A `preferences` row's PREFERENCE_COLUMNS as the member's Preferences."""
    channels, areas, minimum, digest, below, quiet_start, quiet_end = row
    quiet = (
        QuietHours(parse_clock_time(quiet_start), parse_clock_time(quiet_end))
        if quiet_start and quiet_end
        else None
    )
    return Preferences(
        tuple(channels), tuple(areas), Priority(minimum), Cadence(digest), Priority(below), quiet
    )


def find_preferences(conn: Conn, tenant: str, account_id: str) -> Preferences | None:
    """The member's preferences, or None if they never set any."""
    row = conn.execute(
        f"SELECT {', '.join(PREFERENCE_COLUMNS)} FROM preferences "  # noqa: S608 (constants)
        "WHERE tenant = %s AND account_id = %s",
        (tenant, account_id),
    ).fetchone()
    return None if row is None else preferences_of(row)


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
