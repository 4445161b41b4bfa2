"""Projections: read models kept from events, with a checkpoint, rebuildable from scratch.

A projection of the service's own store keeps a position checkpoint in the same transaction as
its rows. A projection of other services' events runs under a ConsumerRunner whose group id is
the projection's name (its processed_events rows are its checkpoint). Either can be rebuilt:
from the service's own store, or from Kafka offset 0 (event topics are kept forever).
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import psycopg
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.envelope import MalformedEnvelope, decode_envelope
from snp_platform.eventstore import EventStore
from snp_platform.kafka import client_config


class Projection(Protocol):
    """A read model: `reset` empties its tables, `apply` folds one event into them."""

    name: str

    def reset(self, conn: psycopg.Connection[Any]) -> None: ...

    def apply(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None: ...


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
    topics: list[str],
    timeout: float = 10.0,
) -> int:
    """Empty a consumer-fed projection and apply its topics from offset 0 to their current end.

    Stop the projection's consumer first; when it restarts from its committed offsets it finds
    every event up to there already applied (by event id) and carries on.
    """
    with pool.connection() as conn, conn.transaction():
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
        ends = _end_offsets(reader, topics, timeout)
        remaining = {tp for tp, end in ends.items() if end > 0}
        reader.assign([TopicPartition(t, p, OFFSET_BEGINNING) for t, p in remaining])
        applied = 0
        while remaining:
            message = reader.poll(timeout)
            if message is None:
                raise TimeoutError(f"rebuild of {projection.name} stalled reading {remaining}")
            if message.error() is not None:
                continue
            tp = (message.topic() or "", message.partition() or 0)
            if (message.offset() or 0) >= ends[tp] - 1:
                remaining.discard(tp)
            applied += _apply_once(pool, projection, message.value())
        return applied
    finally:
        reader.close()


def _end_offsets(reader: Consumer, topics: list[str], timeout: float) -> dict[tuple[str, int], int]:
    metadata = reader.list_topics(timeout=timeout)
    ends = {}
    for topic in topics:
        for partition in metadata.topics[topic].partitions:
            _low, high = reader.get_watermark_offsets(TopicPartition(topic, partition), timeout)
            ends[(topic, partition)] = high
    return ends


def _apply_once(pool: ConnectionPool[Any], projection: Projection, value: bytes | None) -> int:
    try:
        envelope = decode_envelope(value)
    except MalformedEnvelope:
        return 0  # poison was dead-lettered the first time round; a rebuild skips it too
    with pool.connection() as conn, conn.transaction():
        inserted = conn.execute(
            "INSERT INTO processed_events (consumer, event_id) VALUES (%s, %s) "
            "ON CONFLICT DO NOTHING",
            (projection.name, envelope.event_id),
        ).rowcount
        if inserted:
            projection.apply(conn, envelope)
        return int(inserted)
