"""An in-memory event store: a fake for unit tests only, never for a service.

`MemoryEventStore` answers like `snp_platform.eventstore.EventStore` on PostgreSQL, and
tests/contract/test_event_store_contract.py runs one suite over both to keep it so: optimistic
concurrency (`expected_version`, `ANY_VERSION`, `NO_STREAM`), a stream owned by one tenant,
all-or-nothing appends, event ids unique (psycopg's UniqueViolation, as the table answers),
positions handed out in commit order, `load`, `read_after` and `last_position`.

What it cannot do: join a PostgreSQL transaction. It has no pool (`pool` raises `NoDatabase`)
and refuses `append(..., conn=...)`, so a `TypedStreams` with a read model, which applies events
to tables in the append's transaction, is refused before anything is recorded. Positions here
have no gaps; PostgreSQL's may (a refused append can use up identity values), so callers must
only rely on positions increasing.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool

from snp_platform.eventstore.model import (
    ConcurrencyError,
    EventMetadata,
    NewEvent,
    RecordedEvent,
    Stream,
)
from snp_platform.eventstore.store import ANY_VERSION, EventStore


class NoDatabase(RuntimeError):
    """Asked for something only PostgreSQL has (a pool, a caller's transaction)."""


def unopened_pool() -> ConnectionPool[Any]:
    """A pool that is never opened: whatever uses it raises PoolClosed, so a unit test that
    passes one to a handler proves the path it exercises does not reach PostgreSQL."""
    return ConnectionPool("dbname=no-database-in-unit-tests", open=False)


class MemoryEventStore(EventStore):
    """The event store's behaviour in a list, safe to share between threads."""

    def __init__(self) -> None:  # deliberately no pool: EventStore.__init__ is not called
        self._events: list[RecordedEvent] = []
        self._ids: set[uuid.UUID] = set()
        self._streams: dict[str, tuple[str, int]] = {}  # stream id -> (tenant, version)
        self._lock = threading.Lock()

    @property
    def pool(self) -> ConnectionPool[Any]:
        raise NoDatabase("the memory event store has no connection pool")

    def append(
        self,
        stream: Stream,
        events: Sequence[NewEvent],
        expected_version: int,
        metadata: EventMetadata,
        *,
        conn: psycopg.Connection[Any] | None = None,
    ) -> list[RecordedEvent]:
        if not events:
            raise ValueError("append needs at least one event")
        if conn is not None:
            raise NoDatabase("the memory event store cannot append in a PostgreSQL transaction")
        ids = [_uuid(e.event_id) for e in events]
        with self._lock:
            tenant, actual = self._streams.get(stream.stream_id, (stream.tenant, 0))
            if tenant != stream.tenant:
                raise ValueError(f"stream {stream.stream_id} belongs to another tenant")
            if expected_version != ANY_VERSION and expected_version != actual:
                raise ConcurrencyError(stream, expected_version, actual)
            if not (stream.tenant and stream.stream_id) or any(
                not e.event_type or e.schema_version <= 0 for e in events
            ):
                raise errors.CheckViolation("new row for relation events violates a check")
            if len(set(ids)) != len(ids) or self._ids.intersection(ids):
                raise errors.UniqueViolation("duplicate key value violates events_event_id_key")
            now, first = datetime.now(UTC), len(self._events) + 1
            recorded = [
                RecordedEvent(
                    position=first + i,
                    stream=stream,
                    stream_version=actual + 1 + i,
                    event_type=e.event_type,
                    event_id=e.event_id,
                    schema_version=e.schema_version,
                    occurred_at=e.occurred_at,
                    payload=e.payload,
                    metadata=metadata,
                    recorded_at=now,
                )
                for i, e in enumerate(events)
            ]
            # Read back, an id is in PostgreSQL's text form of a uuid, as `event_id::text` gives.
            self._events.extend(
                replace(r, event_id=str(i)) for r, i in zip(recorded, ids, strict=True)
            )
            self._ids.update(ids)
            self._streams[stream.stream_id] = (stream.tenant, actual + len(events))
        return recorded

    def load(self, stream: Stream, after_version: int = 0) -> list[RecordedEvent]:
        with self._lock:
            return [
                e for e in self._events if e.stream == stream and e.stream_version > after_version
            ]

    def read_after(self, position: int, limit: int = 500) -> list[RecordedEvent]:
        if limit < 0:
            raise errors.InvalidRowCountInLimitClause("LIMIT must not be negative")
        with self._lock:
            return self._events[max(position, 0) : max(position, 0) + limit]

    def last_position(self) -> int:
        with self._lock:
            return len(self._events)


def _uuid(event_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(event_id)
    except (ValueError, AttributeError, TypeError) as exc:
        raise errors.InvalidTextRepresentation(
            f"invalid input syntax for type uuid: {event_id!r}"
        ) from exc
