"""The delivery topic: one job per delivery, keyed by delivery id, for parallel workers."""

from __future__ import annotations

from typing import Any

from snp_platform.kafka import consumer_config, producer_config
from snp_platform.topics import TopicSpec, create_topics

DELIVERY_TOPIC = "snp.messaging.deliveries"
WORKER_GROUP = "messaging-delivery-workers"
WEEK_MS = str(7 * 24 * 3600 * 1000)


def delivery_topic_spec(partitions: int) -> TopicSpec:
    """Jobs are worth a week at most: the database, not the topic, is the record of deliveries
    (a lost job is put back by the dispatcher's requeue)."""
    return TopicSpec(DELIVERY_TOPIC, partitions, {"retention.ms": WEEK_MS})


def ensure_delivery_topic(bootstrap: str, partitions: int) -> None:
    create_topics(bootstrap, [delivery_topic_spec(partitions)])


def job_producer_config(bootstrap: str) -> dict[str, Any]:
    return {
        **producer_config(bootstrap, "messaging-dispatcher"),
        "linger.ms": 20,
        "batch.num.messages": 10000,
        "queue.buffering.max.messages": 200000,
    }


def worker_consumer_config(bootstrap: str) -> dict[str, Any]:
    # A batch of up to 500 sends can take a while behind a slow provider.
    return {**consumer_config(bootstrap, WORKER_GROUP), "max.poll.interval.ms": 900000}
