"""Projections and reactions: what a service does with events, kept apart.

A **projection** is state only: applying an event changes the projection's own rows and nothing
else, so rebuilding it from scratch is always safe. A **reaction** is a command an event causes
(take a leaver off the mailing lists, notify someone): it records its own events through the
service's normal command path, runs once per event id, and a rebuild never runs it.

A service declares what its consumer does in one `Subscriptions`: the topics it reads (identity's
named explicitly when wanted), its projections and its reactions. Each projection and reaction
records the event ids it has handled under its own name (processed_events), in the same
transaction as its effects, so a duplicate delivery changes nothing and a projection's rebuild,
which forgets only that projection's ids, never makes a reaction run again. A handler that
names its `event_types` is not even offered the others: an event it would ignore needs no
lock and no record that it was ignored, and those were most of a busy consumer's statements.

A projection of the service's own store keeps a position checkpoint in the same transaction as
its rows. Either kind of projection can be rebuilt: from the service's own store, or from Kafka
offset 0 (event topics are kept forever).

A rebuild from Kafka and the live consumer never interleave: each consumer transaction that
applies an event to a projection holds that projection's lock shared (`hold_projection`), and a
rebuild holds it exclusive for its one transaction. So the consumer waits while a rebuild runs
(it is paused, not stopped), and readers see the old rows until the rebuilt ones commit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.consumer_lag import subscribed
from snp_platform.envelope import MalformedEnvelope, decode_envelope
from snp_platform.eventstore import EventStore
from snp_platform.kafka import client_config

# (events read, events applied, events in all): a rebuild's progress, told as it goes.
RebuildProgress = Callable[[int, int, int], None]
_PROJECTION_LOCK_SEED = 13  # hashtextextended(name, seed): a key space of the platform's own


class Projection(Protocol):
    """A read model: `reset` empties its tables, `apply` folds one event into them (its rows
    only: no events recorded, nothing sent). It may name the `event_types` it folds (see
    `wants`); `apply` must then change nothing for any other."""

    name: str

    def reset(self, conn: psycopg.Connection[Any]) -> None: ...

    def apply(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None: ...


class Reaction(Protocol):
    """A command that an event causes, run once per event id and never by a rebuild. It may name
    the `event_types` it reacts to (see `wants`)."""

    name: str

    def react(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None: ...


def first_time(conn: psycopg.Connection[Any], handler_name: str, event_id: str) -> bool:
    """Record that `handler_name` handles `event_id` now; False when it already has."""
    inserted = conn.execute(
        "INSERT INTO processed_events (consumer, event_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (handler_name, event_id),
    ).rowcount
    return bool(inserted)


def hold_projection(conn: psycopg.Connection[Any], name: str, *, exclusive: bool = False) -> None:
    """Take the projection's lock for the rest of the transaction: shared to apply live events,
    exclusive to rebuild it (the rebuild then waits for live transactions in flight, and they
    wait for it)."""
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    conn.execute(f"SELECT {function}(hashtextextended(%s, %s))", (name, _PROJECTION_LOCK_SEED))


def wants(handler: Projection | Reaction, event_type: str) -> bool:
    """Whether `handler` takes events of `event_type`: every type, unless it names
    `event_types` (exact types, or a service's prefix such as "identity.")."""
    wanted: Sequence[str] | None = getattr(handler, "event_types", None)
    if wanted is None:
        return True
    return any(event_type == w or (w.endswith(".") and event_type.startswith(w)) for w in wanted)


@dataclass(frozen=True)
class Subscriptions:
    """What a service's consumer role does: one group reading `topics`, feeding each event to
    every projection, then to every reaction, each at most once per event id."""

    group_id: str
    topics: Sequence[str]
    projections: Sequence[Projection]
    reactions: Sequence[Reaction] = ()

    def __post_init__(self) -> None:
        names = [p.name for p in self.projections] + [r.name for r in self.reactions]
        if len(set(names)) != len(names) or self.group_id in names:
            # A rebuild forgets its projection's ids; sharing them would lose other handlers'.
            raise ValueError(f"handler names must be distinct and not the group id: {names}")

    def __call__(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        kind = envelope.event_type
        for projection in self.projections:
            if not wants(projection, kind):
                continue
            hold_projection(conn, projection.name)
            if first_time(conn, projection.name, envelope.event_id):
                projection.apply(conn, envelope)
        for reaction in self.reactions:
            if wants(reaction, kind) and first_time(conn, reaction.name, envelope.event_id):
                reaction.react(conn, envelope)


class StoreProjector:
    """Keeps a projection of the service's own event store up to date."""

    def __init__(self, pool: ConnectionPool[Any], projection: Projection, service: str) -> None:
        self._pool = pool
        self._store = EventStore(pool)
        self.projection = projection
        self._service = service

    def checkpoint(self) -> int:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT position FROM projection_checkpoints WHERE projection = %s",
                (self.projection.name,),
            ).fetchone()
            return int(row[0]) if row else 0

    def catch_up(self, batch_size: int = 500) -> int:
        """Apply every event after the checkpoint; return how many were applied."""
        applied = 0
        while events := self._store.read_after(self.checkpoint(), batch_size):
            with self._pool.connection() as conn, conn.transaction():
                for event in events:
                    self.projection.apply(conn, event.to_envelope(self._service))
                conn.execute(
                    "INSERT INTO projection_checkpoints (projection, position) VALUES (%s, %s) "
                    "ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position",
                    (self.projection.name, events[-1].position),
                )
            applied += len(events)
        return applied

    def run(self, stop: threading.Event, interval: float = 0.2) -> None:
        while not stop.is_set():
            if self.catch_up() == 0:
                stop.wait(interval)

    def rebuild(self) -> int:
        """Empty the projection and apply the whole store again."""
        with self._pool.connection() as conn, conn.transaction():
            self.projection.reset(conn)
            conn.execute(
                "DELETE FROM projection_checkpoints WHERE projection = %s", (self.projection.name,)
            )
        return self.catch_up()


def rebuild_from_kafka(
    pool: ConnectionPool[Any],
    bootstrap: str,
    projection: Projection,
    topics: Sequence[str],
    timeout: float = 10.0,
    progress: RebuildProgress | None = None,
) -> int:
    """Empty a consumer-fed projection and apply its topics (names, or `^` regular
    expressions) from offset 0 to their current end, in one transaction; return how many
    events were applied.

    The projection's lock is held exclusive throughout, so its live consumer waits and then
    carries on from its own offsets, skipping (by event id) what the rebuild applied. The ends
    are read once the lock is held: every event the consumer applied before lies below them.
    A failure rolls everything back, leaving the projection as it was.
    """
    with pool.connection() as conn, conn.transaction():
        hold_projection(conn, projection.name, exclusive=True)
        projection.reset(conn)
        conn.execute("DELETE FROM processed_events WHERE consumer = %s", (projection.name,))
        reader = Consumer(
            {
                **client_config(bootstrap),
                "group.id": f"{projection.name}.rebuild",
                "enable.auto.commit": False,
            }
        )
        try:
            return _apply_topics(conn, reader, projection, topics, timeout, progress)
        finally:
            reader.close()


def _apply_topics(
    conn: psycopg.Connection[Any],
    reader: Consumer,
    projection: Projection,
    topics: Sequence[str],
    timeout: float,
    progress: RebuildProgress | None,
) -> int:
    ranges = _offset_ranges(reader, topics, timeout)
    total = sum(high - low for low, high in ranges.values())
    remaining = {tp for tp, (low, high) in ranges.items() if high > low}
    reader.assign([TopicPartition(t, p, OFFSET_BEGINNING) for t, p in remaining])
    read = applied = 0
    tell = progress or (lambda _read, _applied, _total: None)
    tell(read, applied, total)
    while remaining:
        message = reader.poll(timeout)
        if message is None:
            raise TimeoutError(f"rebuild of {projection.name} stalled reading {remaining}")
        if message.error() is not None:
            continue
        tp = (message.topic() or "", message.partition() or 0)
        if tp not in remaining:
            continue
        if (message.offset() or 0) >= ranges[tp][1] - 1:
            remaining.discard(tp)
        read += 1
        applied += _apply_once(conn, projection, message.value())
        tell(read, applied, total)
    return applied


def _offset_ranges(
    reader: Consumer, topics: Sequence[str], timeout: float
) -> dict[tuple[str, int], tuple[int, int]]:
    present = reader.list_topics(timeout=timeout).topics
    ranges = {}
    for topic in sorted(name for name in present if subscribed(name, topics)):
        for partition in present[topic].partitions:
            ranges[(topic, partition)] = reader.get_watermark_offsets(
                TopicPartition(topic, partition), timeout
            )
    return ranges


def _apply_once(conn: psycopg.Connection[Any], projection: Projection, value: bytes | None) -> int:
    try:
        envelope = decode_envelope(value)
    except MalformedEnvelope:
        return 0  # poison was dead-lettered the first time round; a rebuild skips it too
    if not first_time(conn, projection.name, envelope.event_id):
        return 0
    projection.apply(conn, envelope)
    return 1
