"""The local stack really runs PostgreSQL, Kafka (no topic auto-creation) and OPA, and leaves
no process behind when torn down."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from confluent_kafka import KafkaError, Producer
from confluent_kafka.admin import AdminClient

from snp_stack.services import EVENT_SERVICE_NAMES, SERVICE_NAMES
from snp_stack.testing import throwaway_stack

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_database_answers(stack: Any, service: str) -> None:
    with psycopg.connect(stack.service_database_url(service), connect_timeout=10) as conn:
        row = conn.execute("SELECT 1, current_database()").fetchone()
    assert row == (1, f"snp_{service}")


def test_postgres_keeps_durable_commits(stack: Any) -> None:
    if os.environ.get("DATABASE_URL"):
        pytest.skip("an external PostgreSQL's settings are not ours to check")
    with psycopg.connect(stack.database_url) as conn:
        settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
            for name in ("fsync", "synchronous_commit", "listen_addresses")
        }
    assert settings == {"fsync": "on", "synchronous_commit": "on", "listen_addresses": "127.0.0.1"}


def test_kafka_refuses_to_auto_create_topics(stack: Any) -> None:
    topic = f"snp.missing-{uuid.uuid4().hex[:8]}"
    errors: list[KafkaError | None] = []
    producer = Producer({"bootstrap.servers": stack.kafka_bootstrap, "message.timeout.ms": 5000})
    producer.produce(topic, b"x", on_delivery=lambda err, msg: errors.append(err))
    assert producer.flush(15) == 0
    assert errors and errors[0] is not None, "producing to a missing topic must fail"
    topics = AdminClient({"bootstrap.servers": stack.kafka_bootstrap}).list_topics(timeout=10)
    assert topic not in topics.topics


def test_platform_topics_were_created(stack: Any) -> None:
    topics_module = pytest.importorskip("snp_platform.topics")
    admin = AdminClient({"bootstrap.servers": stack.kafka_bootstrap})
    existing = admin.list_topics(timeout=10).topics
    for service in EVENT_SERVICE_NAMES:  # the portal holds only sessions: no events
        assert topics_module.events_topic(service) in existing


def test_opa_is_healthy(stack: Any) -> None:
    assert httpx.get(f"{stack.opa_url}/health", timeout=5).status_code == 200


def _process_groups() -> dict[int, int]:
    """pid -> process group of every process on the machine."""
    groups = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                groups[int(entry.name)] = int(fields[2])
    return groups


def test_teardown_leaves_no_process_alive() -> None:
    with throwaway_stack(with_services=False) as own:
        state_dir = own.state_dir
        leaders = {c.pid for c in own.components if c.pid is not None}
        assert own.pid("postgres") is None or own.log_path("postgres") is not None
        running = _process_groups()
        # Each component leads its own group; PostgreSQL's backends share the postmaster's.
        members = {pid for pid, group in running.items() if group in leaders}
        assert leaders <= members
    after = _process_groups()
    assert not (members & after.keys()), "processes of the stack survived its teardown"
    assert not {pid for pid, group in after.items() if group in leaders}
    assert not state_dir.exists()
