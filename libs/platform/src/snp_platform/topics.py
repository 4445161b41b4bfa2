"""The platform's Kafka topics, created explicitly (brokers never auto-create them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic

from snp_platform.kafka import client_config

SERVICES = ("identity", "membership", "documents", "messaging", "engagement", "audit")
KEEP_FOREVER = "-1"


@dataclass(frozen=True)
class TopicSpec:
    """A topic with its partitions and retention chosen on purpose."""

    name: str
    partitions: int
    config: dict[str, str] = field(default_factory=dict)


def events_topic(service: str) -> str:
    """`snp.<service>.events`: the service's events, keyed by stream id."""
    return f"snp.{service}.events"


def dead_letter_topic(consumer_group: str) -> str:
    """`snp.<consumer group>.dlq`: messages that consumer group could not process."""
    return f"snp.{consumer_group}.dlq"


def default_partitions() -> int:
    return int(os.environ.get("SNP_TOPIC_PARTITIONS", "3"))


def replication_factor() -> int:
    return int(os.environ.get("SNP_TOPIC_REPLICATION_FACTOR", "1"))


def platform_topics() -> list[TopicSpec]:
    """Event topics keep everything forever: any service may rebuild a projection from offset 0."""
    return [
        TopicSpec(
            events_topic(service),
            default_partitions(),
            {"retention.ms": KEEP_FOREVER, "retention.bytes": "-1", "cleanup.policy": "delete"},
        )
        for service in SERVICES
    ]


def dead_letter_spec(consumer_group: str) -> TopicSpec:
    """Dead letters wait, kept forever, until an operator inspects and replays them."""
    forever = {"retention.ms": KEEP_FOREVER, "retention.bytes": "-1"}
    return TopicSpec(dead_letter_topic(consumer_group), 1, forever)


def create_topics(bootstrap: str, specs: list[TopicSpec], timeout: float = 30.0) -> None:
    """Create the topics that do not exist yet; existing ones are left as they are."""
    admin = AdminClient(client_config(bootstrap))
    new = [
        NewTopic(
            s.name,
            num_partitions=s.partitions,
            replication_factor=replication_factor(),
            config=s.config,
        )
        for s in specs
    ]
    for name, future in admin.create_topics(new, operation_timeout=timeout).items():
        try:
            future.result(timeout=timeout)
        except KafkaException as error:
            if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise RuntimeError(f"could not create topic {name}: {error}") from error


def ensure_topics(bootstrap: str) -> None:
    """Create every service's events topic (idempotent)."""
    create_topics(bootstrap, platform_topics())
