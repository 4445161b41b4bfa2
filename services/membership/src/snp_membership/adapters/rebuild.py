"""Rebuilding the group tables from membership's own event store, in one transaction.

Appends take `events` in EXCLUSIVE mode; holding SHARE mode here keeps them out while the
tables are emptied and refolded, so readers see either the old tables or the rebuilt ones,
never a half-built state, and no append slips between the two.
"""

from __future__ import annotations

from typing import Any

from psycopg_pool import ConnectionPool

from snp_membership.adapters.group_store import PROJECTION, SERVICE
from snp_platform.eventstore import EventMetadata, RecordedEvent, Stream

_READ = (
    "SELECT position, tenant, stream_id, stream_version, event_type, event_id::text, "
    "schema_version, occurred_at, payload, recorded_at FROM events ORDER BY position"
)


def rebuild_group_tables(pool: ConnectionPool[Any]) -> int:
    """Empty the group tables and apply every membership event again; returns how many."""
    applied = 0
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET LOCAL lock_timeout = '30s'")
        conn.execute("LOCK TABLE events IN SHARE MODE")
        PROJECTION.reset(conn)
        with conn.cursor(name="rebuild_events") as events:
            events.itersize = 2000
            events.execute(_READ)
            for row in events:
                PROJECTION.apply(conn, _recorded(row).to_envelope(SERVICE))
                applied += 1
    return applied


def _recorded(row: tuple[Any, ...]) -> RecordedEvent:
    position, tenant, stream_id, version, kind, event_id, schema, occurred, payload, at = row
    return RecordedEvent(
        position=position,
        stream=Stream(tenant, stream_id),
        stream_version=version,
        event_type=kind,
        event_id=event_id,
        schema_version=schema,
        occurred_at=occurred,
        payload=bytes(payload),
        metadata=EventMetadata(actor=""),
        recorded_at=at,
    )
