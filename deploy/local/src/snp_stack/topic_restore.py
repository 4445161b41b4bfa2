"""Back onto a new broker: the topics of a backup with their partitions and settings, and every
record onto its own partition, in order, with its key, headers and timestamp."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from confluent_kafka import KafkaError, Producer

from snp_stack.errors import StackError
from snp_stack.topic_backup import TopicDump, quiet


def _raw(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


def records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt") as lines:
        for line in lines:
            yield json.loads(line)


def create(bootstrap: str, topics: list[TopicDump]) -> None:
    """The topics as they were: same partitions (a key's partition is its order) and settings."""
    from snp_platform.topics import TopicSpec, create_topics

    create_topics(bootstrap, [TopicSpec(t.name, t.partitions, t.config) for t in topics])


def republish(bootstrap: str, topic: TopicDump, path: Path) -> int:
    """Produce every record of the file onto its own partition, in order; return how many."""
    producer = Producer(
        quiet(
            {
                "bootstrap.servers": bootstrap,
                "enable.idempotence": True,  # in order, once each, even when a send is retried
                "acks": "all",
                "compression.type": "lz4",
                "linger.ms": 20,
                "queue.buffering.max.messages": 200000,
            }
        )
    )
    failures: list[str] = []

    def delivered(error: KafkaError | None, _message: Any) -> None:
        if error is not None:
            failures.append(str(error))

    sent = 0
    for record in records(path):
        headers: list[tuple[str, str | bytes | None]] = [
            (str(name), _raw(value)) for name, value in record["headers"]
        ]
        while True:
            try:
                producer.produce(
                    topic.name,
                    value=_raw(record["value"]),
                    key=_raw(record["key"]),
                    partition=record["partition"],
                    timestamp=record["timestamp"],
                    headers=headers,
                    on_delivery=delivered,
                )
                break
            except BufferError:  # the local queue is full: let deliveries drain
                producer.poll(0.1)
        producer.poll(0)
        sent += 1
    if producer.flush(120) or failures:
        raise StackError(f"republishing {topic.name}: {failures[:3] or 'not all confirmed'}")
    return sent
