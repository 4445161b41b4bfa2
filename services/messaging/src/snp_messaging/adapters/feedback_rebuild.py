"""Rebuilding the poll and rating tables (adapters/feedback.py) from messaging's own event
store: they are state only, so emptying them and applying every PollAttached, PollAnswered
and MessageRated again changes nothing else and records no event."""

from __future__ import annotations

from typing import Any

from psycopg_pool import ConnectionPool

from snp_messaging.adapters import feedback
from snp_platform.eventstore import EventStore

TABLES = ("polls", "poll_counts", "poll_answers", "message_ratings")


def rebuild_feedback_tables(pool: ConnectionPool[Any]) -> int:
    """Empty the tables and apply the store's feedback events again, in one transaction
    (readers see the old rows until it commits, writers wait); how many were applied."""
    applied = 0
    with pool.connection() as conn, conn.transaction():
        conn.execute(f"LOCK TABLE {', '.join(TABLES)} IN EXCLUSIVE MODE")
        conn.execute(f"TRUNCATE {', '.join(TABLES)}")
        for event in EventStore(pool).read_all(conn=conn):
            if event.event_type in feedback.FEEDBACK_EVENTS:
                feedback.apply(conn, event.to_envelope("messaging"))
                applied += 1
        # An erased account's comments were blanked when it was erased; its events keep them.
        conn.execute(
            "UPDATE message_ratings SET comment = '' WHERE comment <> ''"
            " AND account_id IN (SELECT account_id FROM erased_accounts)"
        )
    return applied
