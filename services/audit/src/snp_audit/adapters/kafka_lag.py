"""How far the audit consumer group is behind on each events topic (for operators)."""

from __future__ import annotations

import re

from confluent_kafka import Consumer, TopicPartition

from snp_platform.kafka import client_config


def lag_per_topic(
    bootstrap: str, group_id: str, pattern: str, timeout: float = 5.0
) -> dict[str, int]:
    """{topic: messages not yet applied}, summed over partitions; a partition the group never
    committed counts from its first retained offset."""
    consumer = Consumer(
        {**client_config(bootstrap), "group.id": group_id, "enable.auto.commit": False}
    )
    try:
        topics = consumer.list_topics(timeout=timeout).topics
        matching = sorted(name for name in topics if re.match(pattern, name))
        partitions = [TopicPartition(name, p) for name in matching for p in topics[name].partitions]
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
