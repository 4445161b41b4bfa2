"""Kafka client settings and headers the platform uses everywhere."""

from __future__ import annotations

import os
from typing import Any

from snp.v1.envelope_pb2 import EventEnvelope

HEADER_EVENT_ID = "snp-event-id"
HEADER_EVENT_TYPE = "snp-event-type"
HEADER_TENANT = "snp-tenant"
HEADER_TRACEPARENT = "traceparent"


def client_config(bootstrap: str) -> dict[str, Any]:
    """Where the brokers are and how to authenticate to them, for every client the platform makes.

    Credentials come from the environment (in Kubernetes, the Platform's Kafka Secret):
    `SNP_KAFKA_USERNAME` / `SNP_KAFKA_PASSWORD` switch on SASL (`SNP_KAFKA_SASL_MECHANISM`,
    default SCRAM-SHA-512 as Strimzi's KafkaUser; `SNP_KAFKA_SECURITY_PROTOCOL`, default
    SASL_SSL) and `SNP_KAFKA_CA_PEM` trusts a private CA such as Strimzi's cluster CA.
    """
    config: dict[str, Any] = {"bootstrap.servers": bootstrap}
    username, password = os.environ.get("SNP_KAFKA_USERNAME"), os.environ.get("SNP_KAFKA_PASSWORD")
    if username and password:
        config |= {
            "security.protocol": os.environ.get("SNP_KAFKA_SECURITY_PROTOCOL") or "SASL_SSL",
            "sasl.mechanism": os.environ.get("SNP_KAFKA_SASL_MECHANISM") or "SCRAM-SHA-512",
            "sasl.username": username,
            "sasl.password": password,
        }
    elif protocol := os.environ.get("SNP_KAFKA_SECURITY_PROTOCOL"):
        config["security.protocol"] = protocol  # e.g. SSL with a private CA, no SASL
    if ca := os.environ.get("SNP_KAFKA_CA_PEM"):
        config["ssl.ca.pem"] = ca
    return config


def producer_config(bootstrap: str, client_id: str) -> dict[str, Any]:
    """An idempotent producer that waits for every in-sync replica: no loss, no reordering."""
    return {
        **client_config(bootstrap),
        "client.id": client_id,
        "enable.idempotence": True,
        "acks": "all",
        "max.in.flight.requests.per.connection": 5,
        "linger.ms": 5,
        "compression.type": "lz4",
        # The same key lands on the same partition as with the Java clients.
        "partitioner": "murmur2_random",
        "message.timeout.ms": 30000,
    }


def consumer_config(bootstrap: str, group_id: str) -> dict[str, Any]:
    """Offsets are committed by the runner only after the effects are in PostgreSQL."""
    return {
        **client_config(bootstrap),
        "group.id": group_id,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "partition.assignment.strategy": "cooperative-sticky",
        "isolation.level": "read_committed",
        "session.timeout.ms": 10000,
        "heartbeat.interval.ms": 2000,
        "max.poll.interval.ms": 300000,
    }


def envelope_headers(envelope: EventEnvelope) -> list[tuple[str, bytes]]:
    """Headers that let brokers' tools and consumers route without parsing the payload."""
    return [
        (HEADER_EVENT_ID, envelope.event_id.encode()),
        (HEADER_EVENT_TYPE, envelope.event_type.encode()),
        (HEADER_TENANT, envelope.tenant.encode()),
        (HEADER_TRACEPARENT, envelope.trace_context.traceparent.encode()),
    ]
