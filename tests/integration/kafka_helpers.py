"""Small helpers for integration tests that drive Kafka and the platform's runners."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from confluent_kafka import OFFSET_BEGINNING, Consumer, Message, TopicPartition

from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.consumer import ConsumerRunner

APPLIED_TABLE = """
CREATE TABLE IF NOT EXISTS applied (
    arrival        bigserial PRIMARY KEY,
    event_id       uuid   NOT NULL,
    stream_id      text   NOT NULL,
    stream_version bigint NOT NULL
)
"""


def record_applied(conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
    """A projection with no unique key on event_id, so a double apply would show as a row."""
    conn.execute(
        "INSERT INTO applied (event_id, stream_id, stream_version) VALUES (%s, %s, %s)",
        (envelope.event_id, envelope.stream_id, envelope.stream_version),
    )


def applied_rows(database_url: str) -> list[tuple[str, str, int]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT event_id::text, stream_id, stream_version FROM applied ORDER BY arrival"
        ).fetchall()
    return [(r[0], r[1], int(r[2])) for r in rows]


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what or condition}")


@contextmanager
def running(runner: ConsumerRunner) -> Iterator[ConsumerRunner]:
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield runner
    finally:
        stop.set()
        thread.join(30)


def read_topic(bootstrap: str, topic: str, timeout: float = 10.0) -> list[Message]:
    """Every message currently in a topic, partition by partition."""
    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": f"reader-{uuid.uuid4()}"})
    try:
        partitions = reader.list_topics(topic, timeout=timeout).topics[topic].partitions
        ends = {
            p: reader.get_watermark_offsets(TopicPartition(topic, p), timeout)[1]
            for p in partitions
        }
        reader.assign(
            [TopicPartition(topic, p, OFFSET_BEGINNING) for p, end in ends.items() if end]
        )
        messages: list[Message] = []
        while len(messages) < sum(ends.values()):
            message = reader.poll(timeout)
            assert message is not None, f"timed out reading {topic}"
            if message.error() is None:
                messages.append(message)
        return messages
    finally:
        reader.close()
