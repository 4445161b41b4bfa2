"""Projections rebuilt from scratch (from the store, or from Kafka offset 0) equal the live ones."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.consumer import ConsumerRunner
from snp_platform.eventstore import NO_STREAM, EventMetadata, EventStore, NewEvent, Stream
from snp_platform.projections import StoreProjector, rebuild_from_kafka
from snp_platform.relay import Relay
from snp_platform.topics import TopicSpec, create_topics, events_topic
from tests.integration.kafka_helpers import running, wait_until

pytestmark = pytest.mark.integration


class StreamLengths:
    """Counts events per stream and remembers the last type seen."""

    def __init__(self, name: str) -> None:
        self.name = name

    def reset(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS stream_lengths (stream_id text PRIMARY KEY,"
            " events int NOT NULL, last_type text NOT NULL)"
        )
        conn.execute("TRUNCATE stream_lengths")

    def apply(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        conn.execute(
            "INSERT INTO stream_lengths VALUES (%s, 1, %s) ON CONFLICT (stream_id) DO UPDATE"
            " SET events = stream_lengths.events + 1, last_type = EXCLUDED.last_type",
            (envelope.stream_id, envelope.event_type),
        )


def rows(pool: ConnectionPool[Any]) -> list[tuple[Any, ...]]:
    with pool.connection() as conn:
        return list(conn.execute("SELECT * FROM stream_lengths ORDER BY stream_id").fetchall())


def fill_store(pool: ConnectionPool[Any]) -> None:
    store = EventStore(pool)
    for i in range(12):
        batch = [NewEvent(f"test.Kind{j % 3}", b"") for j in range(i % 5 + 1)]
        store.append(Stream("met", f"s-{i}"), batch, NO_STREAM, EventMetadata(actor="t"))


def test_store_projection_catches_up_and_rebuild_equals_live(pool: ConnectionPool[Any]) -> None:
    projection = StreamLengths("stream-lengths")
    with pool.connection() as conn:
        projection.reset(conn)
    fill_store(pool)
    projector = StoreProjector(pool, projection, "test")
    assert projector.catch_up() == sum(i % 5 + 1 for i in range(12))
    assert projector.catch_up() == 0
    live = rows(pool)
    assert len(live) == 12
    with pool.connection() as conn:  # corrupt the read model; the rebuild must not care
        conn.execute("UPDATE stream_lengths SET events = 999")
    projector.rebuild()
    assert rows(pool) == live
    assert projector.checkpoint() == EventStore(pool).last_position()


def test_kafka_projection_rebuilt_from_offset_zero_equals_live(
    stack: Any, pool: ConnectionPool[Any]
) -> None:
    service = f"t{uuid.uuid4().hex[:10]}"
    topic = events_topic(service)
    create_topics(stack.kafka_bootstrap, [TopicSpec(topic, 3)])
    projection = StreamLengths(f"{service}-lengths")
    with pool.connection() as conn:
        projection.reset(conn)
    fill_store(pool)
    Relay(pool, stack.kafka_bootstrap, service).relay_once()
    total = EventStore(pool).last_position()

    runner = ConsumerRunner(pool, stack.kafka_bootstrap, projection.name, [topic], projection.apply)
    with running(runner):
        wait_until(lambda: sum(r[1] for r in rows(pool)) == total, what="live projection")
    live = rows(pool)

    assert rebuild_from_kafka(pool, stack.kafka_bootstrap, projection, [topic]) == total
    assert rows(pool) == live
