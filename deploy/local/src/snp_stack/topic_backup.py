"""The platform's `snp.*` Kafka topics: every record (key, value, headers, timestamp) to a file
per topic in partition order (topic_restore puts them back onto the same partitions).

A file is gzipped JSON lines, one record each: {"partition", "offset", "timestamp", "key",
"value", "headers": [[name, value]]}, bytes in base64 (None stays null).
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient
from confluent_kafka.admin._config import ConfigResource, ConfigSource

from snp_stack.errors import StackError

PREFIX = "snp."
EVENT_ID_HEADER = "snp-event-id"  # snp_platform.kafka.HEADER_EVENT_ID


@dataclass
class TopicDump:
    """One topic in the backup: its shape, and how many records each partition gave."""

    name: str
    partitions: int
    config: dict[str, str]
    file: str = ""
    records: dict[int, int] = field(default_factory=dict)
    left_out: int = 0  # events the dumped store does not hold (appended after its snapshot)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "partitions": self.partitions,
            "config": self.config,
            "file": self.file,
            "records": {str(p): n for p, n in sorted(self.records.items())},
            "left_out": self.left_out,
        }


def quiet(config: dict[str, Any]) -> dict[str, Any]:
    logger = logging.getLogger("snp_stack.topic_backup")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    return {**config, "logger": logger}


def platform_topics(bootstrap: str) -> list[TopicDump]:
    """Every `snp.*` topic, with its partitions and the settings made on it (not defaults)."""
    admin = AdminClient(quiet({"bootstrap.servers": bootstrap}))
    metadata = admin.list_topics(timeout=15)
    names = sorted(name for name in metadata.topics if name.startswith(PREFIX))
    if not names:
        return []
    resources = [ConfigResource("topic", name) for name in names]
    found = []
    for resource, future in admin.describe_configs(resources).items():
        entries = future.result(timeout=15).values()
        config = {
            e.name: e.value
            for e in entries
            if e.source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value and e.value is not None
        }
        name = resource.name
        found.append(TopicDump(name, len(metadata.topics[name].partitions), config))
    return sorted(found, key=lambda t: t.name)


def _b64(raw: bytes | None) -> str | None:
    return None if raw is None else base64.b64encode(raw).decode()


def _read(bootstrap: str, topic: TopicDump, marked: Callable[[], None]) -> Iterator[Any]:
    """Each record up to the partitions' ends as they were when the read began, in order;
    `marked()` is called once those ends are known, before the first record is read."""
    consumer = Consumer(
        quiet(
            {
                "bootstrap.servers": bootstrap,
                "group.id": "snp-stack-backup",  # never commits: a restore's groups start afresh
                "enable.auto.commit": False,
                "enable.partition.eof": True,
                "isolation.level": "read_committed",
            }
        )
    )
    try:
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        for partition in range(topic.partitions):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic.name, partition), 15)
            if high > low:
                starts[partition], ends[partition] = low, high
        marked()
        consumer.assign([TopicPartition(topic.name, p, starts[p]) for p in ends])
        while ends:
            message = consumer.poll(5.0)
            if message is None:
                continue
            partition, offset, error = (
                message.partition() or 0,
                message.offset() or 0,
                message.error(),
            )
            if error is not None:
                if error.code() != KafkaError._PARTITION_EOF:
                    raise StackError(f"reading {topic.name}: {error}")
                ends.pop(partition, None)
                continue
            if partition not in ends or offset >= ends[partition]:
                ends.pop(partition, None)  # written after the read began: the next backup's
                continue
            yield message
            if offset >= ends[partition] - 1:
                ends.pop(partition)
    finally:
        consumer.close()


def event_id(headers: Iterable[tuple[str, bytes | None]] | None) -> str | None:
    for name, value in headers or ():
        if name == EVENT_ID_HEADER and value is not None:
            return value.decode()
    return None


Keep = Callable[[str | None], bool]


def dump(bootstrap: str, topic: TopicDump, folder: Path, keeper: Callable[[], Keep]) -> None:
    """Write the topic's records to `folder`. `keeper()`, called once the partitions' ends are
    fixed, gives `keep(event id)`, False to leave a record out: it may ask a store what it
    holds, as every record below those ends was published, so committed, before it asks."""
    topic.file = f"{topic.name}.jsonl.gz"
    keeps: list[Keep] = []
    with gzip.open(folder / topic.file, "wt", compresslevel=1) as out:
        for message in _read(bootstrap, topic, lambda: keeps.append(keeper())):
            headers = message.headers()
            if not keeps[0](event_id(headers)):
                topic.left_out += 1
                continue
            partition = message.partition()
            topic.records[partition] = topic.records.get(partition, 0) + 1
            record = {
                "partition": partition,
                "offset": message.offset(),
                "timestamp": message.timestamp()[1],
                "key": _b64(message.key()),
                "value": _b64(message.value()),
                "headers": [[name, _b64(value)] for name, value in headers or ()],
            }
            out.write(json.dumps(record, separators=(",", ":")) + "\n")


def published_prefix(checkpoint: int, window: list[tuple[int, str]], in_topic: set[str]) -> int:
    """Where a restored relay resumes: past the checkpoint and every following event (by
    position) the backed-up topic holds, up to the first it does not. The relay then sends that
    one and all after it; any of them the topic also held is a duplicate consumers skip."""
    resumed = checkpoint
    for position, event in window:
        if event not in in_topic:
            break
        resumed = position
    return resumed
