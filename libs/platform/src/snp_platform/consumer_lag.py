"""How far a consumer group is behind on its topics (for operators): per topic, the messages
between the group's committed offsets and the partitions' ends."""

from __future__ import annotations

import re
from collections.abc import Sequence

from confluent_kafka import Consumer, TopicPartition

from snp_platform.kafka import client_config


def lag_per_topic(
    bootstrap: str, group_id: str, topics: str | Sequence[str], timeout: float = 5.0
) -> dict[str, int]:
    """{topic: messages not yet applied}, summed over partitions, for the group's `topics`
    (names, or regular expressions starting with `^` as Kafka subscriptions take them); a
    partition the group never committed counts from its first retained offset."""
    wanted = [topics] if isinstance(topics, str) else list(topics)
    consumer = Consumer(
        {**client_config(bootstrap), "group.id": group_id, "enable.auto.commit": False}
    )
    try:
        present = consumer.list_topics(timeout=timeout).topics
        matching = sorted(name for name in present if subscribed(name, wanted))
        partitions = [
            TopicPartition(name, p) for name in matching for p in present[name].partitions
        ]
        committed = consumer.committed(partitions, timeout=timeout) if partitions else []
        lag = dict.fromkeys(matching, 0)
        for tp in committed:
            low, high = consumer.get_watermark_offsets(
                TopicPartition(tp.topic, tp.partition), timeout=timeout
            )
            position = tp.offset if tp.offset >= 0 else low
            lag[tp.topic] += max(high - position, 0)
        return lag
    finally:
        consumer.close()


def subscribed(topic: str, wanted: Sequence[str]) -> bool:
    """Whether a subscription to `wanted` (names, or `^` regular expressions) reads `topic`."""
    return any(re.match(w, topic) if w.startswith("^") else w == topic for w in wanted)
