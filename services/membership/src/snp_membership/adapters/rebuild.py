"""Rebuilding the group tables from membership's own event store, in one transaction.

Appends take `events` in EXCLUSIVE mode; holding SHARE mode here keeps them out while the
tables are emptied and refolded, so readers see either the old tables or the rebuilt ones,
never a half-built state, and no append slips between the two. The events are read by the
platform store itself (a server-side cursor in position order, in this same transaction).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from snp_membership.adapters.event_streams import SERVICE
from snp_membership.adapters.group_projection import GroupProjection
from snp_platform.eventstore import EventStore
from snp_platform.projections import RebuildProgress

GROUP_TABLES_NAME = GroupProjection.name


def rebuild_group_tables(pool: ConnectionPool[Any], progress: RebuildProgress | None = None) -> int:
    """Empty the group tables and apply every membership event again; returns how many."""
    projection, store, applied = GroupProjection(), EventStore(pool), 0
    tell = progress or (lambda _read, _applied, _total: None)
    with pool.connection() as conn, conn.transaction():
        conn.execute("SET LOCAL lock_timeout = '30s'")
        conn.execute("LOCK TABLE events IN SHARE MODE")
        total = _count(conn, "SELECT count(*) FROM events")
        tell(0, 0, total)
        projection.reset(conn)
        for event in store.read_all(conn=conn, batch_size=2000):
            projection.apply(conn, event.to_envelope(SERVICE))
            applied += 1
            tell(applied, applied, total)
    return applied


def events_stored(conn: psycopg.Connection[Any]) -> int:
    """How many events the group tables hold (every one in the store: each append applies)."""
    return _count(conn, "SELECT count(*) FROM events")


def _count(conn: psycopg.Connection[Any], query: str) -> int:
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0
