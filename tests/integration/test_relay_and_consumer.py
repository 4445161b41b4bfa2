"""Relay and consumer runner against real PostgreSQL and Kafka: no loss, no double effect."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from typing import Any

import psycopg
import pytest
from confluent_kafka import Producer
from prometheus_client import REGISTRY
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.consumer import ConsumerRunner
from snp_platform.deadletters import list_dead_letters, replay_dead_letters
from snp_platform.envelope import decode_envelope
from snp_platform.eventstore import NO_STREAM, EventMetadata, EventStore, NewEvent, Stream
from snp_platform.relay import Relay
from snp_platform.topics import TopicSpec, create_topics, events_topic
from tests.integration.kafka_helpers import (
    APPLIED_TABLE,
    applied_rows,
    read_topic,
    record_applied,
    running,
    wait_until,
)

pytestmark = pytest.mark.integration
META = EventMetadata(
    actor="account-7", traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
)


@pytest.fixture
def service(stack: Any) -> str:
    name = f"t{uuid.uuid4().hex[:10]}"
    create_topics(stack.kafka_bootstrap, [TopicSpec(events_topic(name), 3)])
    return name


@pytest.fixture
def applied_table(database_url: str) -> str:
    with psycopg.connect(database_url) as conn:
        conn.execute(APPLIED_TABLE)
    return database_url


def append_streams(pool: ConnectionPool[Any], streams: int, per_stream: int) -> list[Stream]:
    store = EventStore(pool)
    made = [Stream("met", f"stream-{uuid.uuid4()}") for _ in range(streams)]
    for stream in made:
        batch = [
            NewEvent("test.Happened", f"{stream.stream_id}:{i}".encode()) for i in range(per_stream)
        ]
        store.append(stream, batch, NO_STREAM, META)
    return made


def test_relay_publishes_every_event_keyed_by_stream_with_headers(
    stack: Any, pool: ConnectionPool[Any], service: str
) -> None:
    append_streams(pool, streams=5, per_stream=4)
    relay = Relay(pool, stack.kafka_bootstrap, service, batch_size=8)
    assert relay.relay_once() == 8
    # A full batch: the store is asked how far it goes, and the gauge says what is left.
    assert _lag(service) == 12
    assert relay.relay_once() + relay.relay_once() == 12
    assert _lag(service) == 0
    assert relay.checkpoint() == EventStore(pool).last_position()
    assert relay.relay_once() == 0

    messages = read_topic(stack.kafka_bootstrap, events_topic(service))
    assert len(messages) == 20
    partitions_of_stream: dict[str, set[int]] = {}
    versions_of_stream: dict[str, list[int]] = {}
    for message in messages:
        envelope = decode_envelope(message.value())
        assert message.key() == envelope.stream_id.encode()
        headers = dict(message.headers() or [])
        assert headers["snp-event-id"] == envelope.event_id.encode()
        assert headers["snp-event-type"] == b"test.Happened"
        assert headers["snp-tenant"] == b"met"
        assert headers["traceparent"] == META.traceparent.encode()
        assert envelope.actor == "account-7" and envelope.source_service == service
        partitions_of_stream.setdefault(envelope.stream_id, set()).add(message.partition() or 0)
        versions_of_stream.setdefault(envelope.stream_id, []).append(envelope.stream_version)
    assert all(len(p) == 1 for p in partitions_of_stream.values())
    assert all(v == [1, 2, 3, 4] for v in versions_of_stream.values())


def test_relay_checkpoint_stays_put_when_the_broker_does_not_confirm(
    pool: ConnectionPool[Any], service: str
) -> None:
    append_streams(pool, streams=1, per_stream=3)
    unreachable = Relay(
        pool,
        "127.0.0.1:9",
        service,
        flush_timeout=5,
        producer_overrides={"message.timeout.ms": 1500, "socket.connection.setup.timeout.ms": 1000},
    )
    assert unreachable.relay_once() == 0
    assert unreachable.checkpoint() == 0
    assert _lag(service) == 3  # nothing confirmed: every stored event is still behind


def _lag(service: str) -> float | None:
    return REGISTRY.get_sample_value("snp_relay_lag_events", {"service": service})


def test_consumer_applies_each_event_once_even_when_the_relay_resends(
    stack: Any, pool: ConnectionPool[Any], service: str, applied_table: str
) -> None:
    streams = append_streams(pool, streams=4, per_stream=5)
    relay = Relay(pool, stack.kafka_bootstrap, service)
    relay.relay_once()
    with pool.connection() as conn:  # as if the relay crashed before saving its checkpoint
        conn.execute("DELETE FROM relay_checkpoints")
    assert relay.relay_once() == 20
    assert len(read_topic(stack.kafka_bootstrap, events_topic(service))) == 40

    runner = ConsumerRunner(
        pool, stack.kafka_bootstrap, f"{service}-proj", [events_topic(service)], record_applied
    )
    with running(runner):
        wait_until(lambda: len(applied_rows(applied_table)) >= 20, what="20 applied events")
        wait_until(lambda: consumed_all(stack, runner.group_id, service), what="offsets committed")
    rows = applied_rows(applied_table)
    assert len(rows) == 20 and len({r[0] for r in rows}) == 20
    for stream in streams:
        assert [r[2] for r in rows if r[1] == stream.stream_id] == [1, 2, 3, 4, 5]


def test_poison_message_goes_to_the_dead_letter_topic_and_the_consumer_keeps_going(
    stack: Any, pool: ConnectionPool[Any], service: str, applied_table: str
) -> None:
    producer = Producer({"bootstrap.servers": stack.kafka_bootstrap})
    producer.produce(
        events_topic(service), key=b"junk", value=b"\xff\x00 definitely not an envelope"
    )
    producer.flush(10)
    append_streams(pool, streams=1, per_stream=2)
    Relay(pool, stack.kafka_bootstrap, service).relay_once()

    group = f"{service}-proj"
    with running(
        ConsumerRunner(pool, stack.kafka_bootstrap, group, [events_topic(service)], record_applied)
    ):
        wait_until(lambda: len(applied_rows(applied_table)) == 2, what="good events applied")
        wait_until(lambda: len(list_dead_letters(stack.kafka_bootstrap, group)) == 1, what="dlq")
    [letter] = list_dead_letters(stack.kafka_bootstrap, group)
    assert letter.reason.startswith("malformed envelope")
    assert letter.value == b"\xff\x00 definitely not an envelope"
    assert letter.original_topic == events_topic(service) and letter.event_id is None

    listed = subprocess.run(
        ["snp-events", "dlq", "list", "--group", group],
        env={**os.environ, "KAFKA_BOOTSTRAP": stack.kafka_bootstrap},
        capture_output=True,
        text=True,
        check=True,
    )
    [line] = listed.stdout.splitlines()
    assert json.loads(line)["reason"].startswith("malformed envelope")


def test_failing_handler_dead_letters_after_n_attempts_and_replay_applies_it(
    stack: Any, pool: ConnectionPool[Any], service: str, applied_table: str
) -> None:
    broken = {"on": True}
    attempts: list[str] = []

    def handler(conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        if envelope.stream_version == 2 and broken["on"]:
            attempts.append(envelope.event_id)
            raise RuntimeError("projection bug")
        record_applied(conn, envelope)

    append_streams(pool, streams=1, per_stream=3)
    Relay(pool, stack.kafka_bootstrap, service).relay_once()
    group = f"{service}-proj"

    def make_runner() -> ConsumerRunner:
        return ConsumerRunner(
            pool,
            stack.kafka_bootstrap,
            group,
            [events_topic(service)],
            handler,
            max_attempts=3,
            retry_backoff=0.01,
        )

    with running(make_runner()):
        wait_until(lambda: len(applied_rows(applied_table)) == 2, what="the two good events")
        wait_until(lambda: len(list_dead_letters(stack.kafka_bootstrap, group)) == 1, what="dlq")
    assert len(attempts) == 3
    [letter] = list_dead_letters(stack.kafka_bootstrap, group)
    assert letter.attempts == 3 and "projection bug" in letter.reason and not letter.replayed

    broken["on"] = False
    assert [d.offset for d in replay_dead_letters(stack.kafka_bootstrap, group)] == [letter.offset]
    assert list_dead_letters(stack.kafka_bootstrap, group)[0].replayed
    assert replay_dead_letters(stack.kafka_bootstrap, group) == []  # nothing left to replay
    with running(make_runner()):
        wait_until(lambda: len(applied_rows(applied_table)) == 3, what="replayed event applied")
    assert sorted(r[2] for r in applied_rows(applied_table)) == [1, 2, 3]


def consumed_all(stack: Any, group: str, service: str) -> bool:
    from confluent_kafka import Consumer, TopicPartition

    topic = events_topic(service)
    probe = Consumer({"bootstrap.servers": stack.kafka_bootstrap, "group.id": group})
    try:
        parts = probe.list_topics(topic, timeout=10).topics[topic].partitions
        committed = probe.committed([TopicPartition(topic, p) for p in parts], timeout=10)
        ends = [probe.get_watermark_offsets(TopicPartition(topic, p), 10)[1] for p in parts]
        return all(max(c.offset, 0) == end for c, end in zip(committed, ends, strict=True))
    finally:
        probe.close()


def test_a_second_member_joining_and_leaving_mid_stream_loses_and_repeats_nothing(
    stack: Any, pool: ConnectionPool[Any], service: str, applied_table: str
) -> None:
    """Cooperative rebalancing: partitions move between members while events flow."""
    relay = Relay(pool, stack.kafka_bootstrap, service)
    group = f"{service}-proj"

    def member() -> ConsumerRunner:
        return ConsumerRunner(
            pool, stack.kafka_bootstrap, group, [events_topic(service)], record_applied
        )

    streams = append_streams(pool, streams=30, per_stream=10)
    relay.relay_once()
    with running(member()):
        wait_until(lambda: len(applied_rows(applied_table)) > 0, what="first member started")
        with running(member()):  # joins, takes partitions, then leaves gracefully
            streams += append_streams(pool, streams=30, per_stream=10)
            relay.relay_once()
            wait_until(lambda: len(applied_rows(applied_table)) >= 450, what="progress")
        streams += append_streams(pool, streams=30, per_stream=10)
        relay.relay_once()
        wait_until(lambda: len(applied_rows(applied_table)) >= 900, what="all applied")
    rows = applied_rows(applied_table)
    assert len(rows) == 900
    for stream in streams:
        assert [r[2] for r in rows if r[1] == stream.stream_id] == list(range(1, 11))
