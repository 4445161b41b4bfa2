"""PostgreSQL event store: append with optimistic concurrency, load a stream, tail by position,
stream the whole store in position order."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from snp_platform.eventstore.model import (
    ConcurrencyError,
    EventMetadata,
    NewEvent,
    RecordedEvent,
    Stream,
)

ANY_VERSION = -1  # append whatever the stream's version (no concurrency check)
NO_STREAM = 0  # the stream must not exist yet
NOTIFY_CHANNEL = "snp_events"

# One round trip: check the stream's version and tenant, and insert only if both are as expected.
# The stream's last row gives both (every append checks the tenant, so all its rows share it)
# from one index probe, however long the stream.
_INSERT = """
WITH current AS (
    SELECT coalesce(max(last.stream_version), 0) AS version, min(last.tenant) AS tenant
    FROM (SELECT stream_version, tenant FROM events WHERE stream_id = %(stream_id)s
          ORDER BY stream_version DESC LIMIT 1) AS last
)
INSERT INTO events (tenant, stream_id, stream_version, event_type, event_id, schema_version,
                    occurred_at, payload, metadata)
SELECT %(tenant)s, %(stream_id)s, current.version + u.n, u.event_type, u.event_id,
       u.schema_version, u.occurred_at, u.payload, %(metadata)s
FROM current,
     unnest(%(types)s::text[], %(ids)s::uuid[], %(schemas)s::int[],
            %(occurred)s::timestamptz[], %(payloads)s::bytea[])
     WITH ORDINALITY AS u(event_type, event_id, schema_version, occurred_at, payload, n)
WHERE (%(expected)s = -1 OR current.version = %(expected)s)
  AND (current.tenant IS NULL OR current.tenant = %(tenant)s)
ORDER BY u.n
RETURNING position, stream_version, recorded_at
"""
# The NOTIFY is only delivered if the transaction commits.
_LOCK = (
    f"SET LOCAL lock_timeout = '10s'; LOCK TABLE events IN EXCLUSIVE MODE; NOTIFY {NOTIFY_CHANNEL}"
)
_COLUMNS = (
    "position, tenant, stream_id, stream_version, event_type, event_id::text AS event_id, "
    "schema_version, occurred_at, payload, metadata, recorded_at"
)


class EventStore:
    """A service's event store, which is also its outbox for the relay."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self._pool = pool

    @property
    def pool(self) -> ConnectionPool[Any]:
        return self._pool

    def append(
        self,
        stream: Stream,
        events: Sequence[NewEvent],
        expected_version: int,
        metadata: EventMetadata,
        *,
        conn: psycopg.Connection[Any] | None = None,
    ) -> list[RecordedEvent]:
        """Append events to a stream if it is at `expected_version`; raise ConcurrencyError if not.

        The table lock serialises appends, so positions are assigned in commit order: a tail
        reader that has seen position N will never later find a committed event below N. Pass
        `conn` to append inside a caller's transaction (the lock is then held until it commits).
        """
        if not events:
            raise ValueError("append needs at least one event")
        with self._transaction(conn) as tx:
            tx.execute(_LOCK)
            inserted = tx.execute(
                _INSERT,
                {
                    "tenant": stream.tenant,
                    "stream_id": stream.stream_id,
                    "expected": expected_version,
                    "metadata": Jsonb(metadata.as_json()),
                    "types": [e.event_type for e in events],
                    "ids": [e.event_id for e in events],
                    "schemas": [e.schema_version for e in events],
                    "occurred": [e.occurred_at for e in events],
                    "payloads": [e.payload for e in events],
                },
            ).fetchall()
            if not inserted:
                raise refusal(tx, stream, expected_version)
        return recorded_events(stream, events, metadata, inserted)

    def load(self, stream: Stream, after_version: int = 0) -> list[RecordedEvent]:
        """The stream's events in version order (empty if it does not exist in that tenant)."""
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM events WHERE tenant = %s AND stream_id = %s "  # noqa: S608
                "AND stream_version > %s ORDER BY stream_version",
                (stream.tenant, stream.stream_id, after_version),
            )
            return [_recorded(row) for row in cur.fetchall()]

    def read_after(self, position: int, limit: int = 500) -> list[RecordedEvent]:
        """Committed events after a global position, in position order (the tail)."""
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM events WHERE position > %s "  # noqa: S608
                "ORDER BY position LIMIT %s",
                (position, limit),
            )
            return [_recorded(row) for row in cur.fetchall()]

    def read_all(
        self, *, conn: psycopg.Connection[Any] | None = None, batch_size: int = 2000
    ) -> Iterator[RecordedEvent]:
        """Every committed event in position order, streamed through a server-side cursor
        (`batch_size` rows a fetch) rather than held in memory.

        With `conn` the read runs inside the caller's open transaction (not autocommit), so the
        caller's locks and snapshot hold for the whole read and the caller may write on the same
        connection between events; without it, in a transaction of its own.
        """
        if conn is not None:
            yield from _stream_all(conn, batch_size)
            return
        with self._pool.connection() as own, own.transaction():
            yield from _stream_all(own, batch_size)

    def last_position(self) -> int:
        """The highest committed position (0 for an empty store)."""
        with self._pool.connection() as conn:
            row = conn.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()
            return int(row[0]) if row else 0

    @contextmanager
    def _transaction(
        self, conn: psycopg.Connection[Any] | None
    ) -> Iterator[psycopg.Connection[Any]]:
        if conn is not None:
            with conn.transaction():
                yield conn
            return
        with self._pool.connection() as pooled, pooled.transaction():
            yield pooled


def refusal(conn: psycopg.Connection[Any], stream: Stream, expected_version: int) -> Exception:
    """Why an append inserted nothing: the stream is another tenant's, or at another version."""
    row = conn.execute(
        "SELECT stream_version, tenant FROM events WHERE stream_id = %s "
        "ORDER BY stream_version DESC LIMIT 1",
        (stream.stream_id,),
    ).fetchone()
    actual, tenant = (int(row[0]), row[1]) if row else (0, None)
    if tenant is not None and tenant != stream.tenant:
        return ValueError(f"stream {stream.stream_id} belongs to another tenant")
    return ConcurrencyError(stream, expected_version, actual)


def recorded_events(
    stream: Stream,
    events: Sequence[NewEvent],
    metadata: EventMetadata,
    inserted: Sequence[tuple[int, int, Any]],
) -> list[RecordedEvent]:
    """The events of one append as recorded, from its (position, version, recorded_at) rows."""
    actual = min(version for _position, version, _recorded in inserted) - 1
    by_version = {version: (position, recorded) for position, version, recorded in inserted}
    return [
        RecordedEvent(
            position=by_version[actual + i][0],
            stream=stream,
            stream_version=actual + i,
            event_type=e.event_type,
            event_id=e.event_id,
            schema_version=e.schema_version,
            occurred_at=e.occurred_at,
            payload=e.payload,
            metadata=metadata,
            recorded_at=by_version[actual + i][1],
        )
        for i, e in enumerate(events, start=1)
    ]


def _stream_all(conn: psycopg.Connection[Any], batch_size: int) -> Iterator[RecordedEvent]:
    with conn.cursor(name=f"snp_events_{uuid.uuid4().hex}", row_factory=dict_row) as cur:
        cur.itersize = batch_size
        cur.execute(f"SELECT {_COLUMNS} FROM events ORDER BY position")  # noqa: S608
        for row in cur:
            yield _recorded(row)


def _recorded(row: dict[str, Any]) -> RecordedEvent:
    meta = row["metadata"]
    return RecordedEvent(
        position=row["position"],
        stream=Stream(row["tenant"], row["stream_id"]),
        stream_version=row["stream_version"],
        event_type=row["event_type"],
        event_id=row["event_id"],
        schema_version=row["schema_version"],
        occurred_at=row["occurred_at"],
        payload=bytes(row["payload"]),
        metadata=EventMetadata(
            actor=meta.get("actor", ""),
            correlation_id=meta.get("correlation_id", ""),
            causation_id=meta.get("causation_id", ""),
            traceparent=meta.get("traceparent", ""),
            tracestate=meta.get("tracestate", ""),
        ),
        recorded_at=row["recorded_at"],
    )
