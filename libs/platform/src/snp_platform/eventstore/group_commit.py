"""Group commit: concurrent appends of one process share one transaction and one fsync.

Each append keeps every guarantee of `EventStore.append`: the table lock is taken first, so
positions still follow commit order and the relay never skips; each append is checked against
its own stream's expected version; NOTIFY wakes the relay once the batch commits. A version
conflict refuses that append alone: the batch insert only inserts the appends whose check
passes, and any error (a duplicate event id, a failing `then`) sends the batch down the slow
path, where each append runs in its own savepoint and fails alone.

Opt-in, for appends that own their transaction: an append made inside a caller's transaction
(`EventStore.append(..., conn=...)`, as every handler that reads and then records does) must
commit with the caller's other reads and writes, so it cannot join another command's commit.
What such an append applies to a read model from its events alone can ride along as `then`,
run in the batch's transaction right after its events.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from snp_platform.eventstore.coalescer import Coalescer
from snp_platform.eventstore.model import EventMetadata, NewEvent, RecordedEvent, Stream
from snp_platform.eventstore.store import (
    NOTIFY_CHANNEL,
    EventStore,
    recorded_events,
    refusal,
)

Then = Callable[[psycopg.Connection[Any], list[RecordedEvent]], None]

# One statement for a round of appends to distinct streams: each append's stream version and
# owner are read once (from the stream's last row, as in store.py), and only the appends whose
# check passes are inserted.
_INSERT_ROUND = """
WITH appends AS (
    SELECT a.*, c.version, c.owner
    FROM unnest(%(streams)s::text[], %(tenants)s::text[], %(expected)s::bigint[],
                %(metadata)s::jsonb[])
         WITH ORDINALITY AS a(stream_id, tenant, expected, metadata, a),
         LATERAL (SELECT coalesce(max(last.stream_version), 0) AS version,
                         min(last.tenant) AS owner
                  FROM (SELECT stream_version, tenant FROM events WHERE stream_id = a.stream_id
                        ORDER BY stream_version DESC LIMIT 1) AS last) AS c
)
INSERT INTO events (tenant, stream_id, stream_version, event_type, event_id, schema_version,
                    occurred_at, payload, metadata)
SELECT p.tenant, p.stream_id, p.version + u.n, u.event_type, u.event_id, u.schema_version,
       u.occurred_at, u.payload, p.metadata
FROM appends AS p
JOIN unnest(%(of)s::bigint[], %(n)s::bigint[], %(types)s::text[], %(ids)s::uuid[],
            %(schemas)s::int[], %(occurred)s::timestamptz[], %(payloads)s::bytea[])
     AS u(a, n, event_type, event_id, schema_version, occurred_at, payload) ON u.a = p.a
WHERE (p.expected = -1 OR p.version = p.expected)
  AND (p.owner IS NULL OR p.owner = p.tenant)
ORDER BY u.a, u.n
RETURNING event_id, position, stream_version, recorded_at
"""


@dataclass(frozen=True)
class _Append:
    stream: Stream
    events: Sequence[NewEvent]
    expected_version: int
    metadata: EventMetadata
    then: Then | None


Outcome = list[RecordedEvent] | BaseException


class GroupCommitAppender:
    """Appends like `EventStore.append` (without `conn`), coalescing concurrent appends of this
    process that arrive within `window` seconds, up to `max_appends`, into one transaction."""

    def __init__(
        self, pool: ConnectionPool[Any], *, window: float = 0.002, max_appends: int = 64
    ) -> None:
        self._pool = pool
        self._store = EventStore(pool)
        self._coalescer: Coalescer[_Append, list[RecordedEvent]] = Coalescer(
            self._flush, window=window, max_batch=max_appends
        )

    @property
    def batch_sizes(self) -> Sequence[int]:
        """How many appends each of the last flushes held."""
        return tuple(self._coalescer.batch_sizes)

    def append(
        self,
        stream: Stream,
        events: Sequence[NewEvent],
        expected_version: int,
        metadata: EventMetadata,
        *,
        then: Then | None = None,
    ) -> list[RecordedEvent]:
        """Append events to a stream if it is at `expected_version` (ConcurrencyError if not),
        committed with whatever else this process appends at the same moment. `then(conn,
        recorded)` runs in that transaction, after this append's events and before the commit;
        if it raises, this append is not recorded and the caller gets the error."""
        if not events:
            raise ValueError("append needs at least one event")
        return self._coalescer.submit(_Append(stream, events, expected_version, metadata, then))

    def close(self) -> None:
        """Refuse later appends (those already queued are still committed)."""
        self._coalescer.close()

    def __enter__(self) -> GroupCommitAppender:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _flush(self, batch: Sequence[_Append]) -> list[Outcome]:
        with self._pool.connection() as conn:
            try:
                return _together(conn, batch)
            except psycopg.Error:
                if conn.broken:
                    raise
                conn.rollback()
            except Exception:  # a `then` failed: find whose, in the slow path
                conn.rollback()
            return self._one_by_one(conn, batch)

    def _one_by_one(self, conn: psycopg.Connection[Any], batch: Sequence[_Append]) -> list[Outcome]:
        """Each append in a savepoint of one transaction: whichever fails, fails alone."""
        outcomes: list[Outcome] = []
        with conn.transaction():
            for append in batch:
                try:
                    with conn.transaction():
                        recorded = self._store.append(
                            append.stream,
                            append.events,
                            append.expected_version,
                            append.metadata,
                            conn=conn,
                        )
                        if append.then is not None:
                            append.then(conn, recorded)
                    outcomes.append(recorded)
                except Exception as error:
                    outcomes.append(error)
        return outcomes


def _together(conn: psycopg.Connection[Any], batch: Sequence[_Append]) -> list[Outcome]:
    """The fast path: lock, NOTIFY and every round's insert in one pipeline (one round trip,
    the commit included when no append has a `then`)."""
    applies = any(append.then is not None for append in batch)
    with conn.pipeline():
        # The lock first, as in EventStore.append: positions are handed out in commit order.
        conn.execute("SET LOCAL lock_timeout = '10s'")
        conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")  # delivered only if the batch commits
        cursors = [conn.execute(_INSERT_ROUND, _round_params(batch, r)) for r in rounds(batch)]
        if not applies:
            conn.commit()
        rows = {event_id: row for cur in cursors for event_id, *row in cur.fetchall()}
    outcomes: list[list[RecordedEvent] | None] = []
    for append in batch:
        # An append's events are inserted all together or (refused) not at all.
        inserted = [rows.get(uuid.UUID(e.event_id)) for e in append.events]
        outcomes.append(
            recorded_events(append.stream, append.events, append.metadata, inserted)  # type: ignore[arg-type]
            if inserted[0] is not None
            else None
        )
    if applies:
        for append, recorded in zip(batch, outcomes, strict=True):
            if recorded is not None and append.then is not None:
                append.then(conn, recorded)
        conn.commit()
    # The refused ones learn why after the commit: a stream's owner never changes, and its
    # version has only moved further from the one expected.
    return [
        recorded if recorded is not None else refusal(conn, a.stream, a.expected_version)
        for a, recorded in zip(batch, outcomes, strict=True)
    ]


def rounds(batch: Sequence[_Append]) -> list[list[int]]:
    """The batch's appends (by index) in rounds where no stream appears twice, each stream's
    appends in the order they came: one insert statement reads each stream's version once."""
    seen: dict[str, int] = {}  # stream ids are unique across tenants (the store's constraint)
    result: list[list[int]] = []
    for index, append in enumerate(batch):
        which = seen.get(append.stream.stream_id, 0)
        seen[append.stream.stream_id] = which + 1
        if which == len(result):
            result.append([])
        result[which].append(index)
    return result


def _round_params(batch: Sequence[_Append], indexes: list[int]) -> dict[str, Any]:
    chosen = [batch[i] for i in indexes]
    events = [
        (a, n, e) for a, append in enumerate(chosen, 1) for n, e in enumerate(append.events, 1)
    ]
    return {
        "streams": [a.stream.stream_id for a in chosen],
        "tenants": [a.stream.tenant for a in chosen],
        "expected": [a.expected_version for a in chosen],
        "metadata": [Jsonb(a.metadata.as_json()) for a in chosen],
        "of": [a for a, _n, _e in events],
        "n": [n for _a, n, _e in events],
        "types": [e.event_type for _a, _n, e in events],
        "ids": [e.event_id for _a, _n, e in events],
        "schemas": [e.schema_version for _a, _n, e in events],
        "occurred": [e.occurred_at for _a, _n, e in events],
        "payloads": [e.payload for _a, _n, e in events],
    }
