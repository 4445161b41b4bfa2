"""Ingestion: every event of every service's topic lands in the log exactly once, even when the
consumer is SIGKILLed mid-stream; OPA's decision logs arrive from the real OPA, ids only."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import threading
import uuid
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp_platform.eventstore import EventMetadata, EventStore, NewEvent, Stream
from snp_platform.opa import OpaClient
from snp_platform.relay import Relay
from tests.integration.audit_helpers import (
    AuditProcess,
    fresh_database,
    identity_client,
    operator_token,
)
from tests.integration.kafka_helpers import wait_until
from tests.integration.test_identity_api import bearer, register_member

pytestmark = pytest.mark.integration
EVENTS = 3000
STREAMS = 50


def refs(database_url: str, source: str = "event") -> dict[str, int]:
    """How many times each ref (event or decision id) is in the log."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT ref, count(*) FROM audit_entries WHERE source = %s GROUP BY ref", (source,)
        ).fetchall()
    return {str(ref): int(n) for ref, n in rows}


def append_events(store: EventStore, tenant: str, appended: list[str]) -> None:
    streams = [Stream(tenant, f"stream-{i}-{uuid.uuid4().hex[:6]}") for i in range(STREAMS)]
    for round_ in range(EVENTS // STREAMS):
        for stream in streams:
            event = NewEvent("audit.TestHappened", os.urandom(24))
            store.append(stream, [event], round_, EventMetadata(actor="acct-test"))
            appended.append(event.event_id)


def test_every_event_lands_once_though_the_consumer_is_sigkilled_mid_stream(
    stack: Any, tmp_path: Path
) -> None:
    with fresh_database(stack) as audit_db, fresh_database(stack) as source_db:
        consumer = AuditProcess(
            stack,
            "consumer",
            audit_db,
            tmp_path / "consumer.log",
            SNP_CONSUMER_GROUP=f"audit-test-{uuid.uuid4().hex[:8]}",
        )
        with ConnectionPool(source_db, min_size=1, max_size=4) as pool:
            tenant = f"t-{uuid.uuid4().hex[:8]}"
            appended: list[str] = []
            # Events of a service's store published by the platform's own relay (to audit's
            # topic, which no other service consumes) ...
            stop = threading.Event()
            relay = Relay(pool, stack.kafka_bootstrap, "audit")
            relaying = threading.Thread(target=relay.run, args=(stop,), daemon=True)
            relaying.start()
            # ... and identity's, published by identity itself.
            with identity_client(stack) as identity:
                operator = operator_token(stack, identity)
                slug = f"force-{uuid.uuid4().hex[:8]}"
                made = identity.post(
                    "/tenants", headers=bearer(operator), json={"slug": slug, "display_name": "X"}
                )
                assert made.status_code == 201, made.text
                registered = register_member(identity, slug, f"m-{uuid.uuid4().hex[:6]}@x.example")
                assert registered.status_code == 201, registered.text
            try:
                writer = threading.Thread(
                    target=append_events, args=(EventStore(pool), tenant, appended)
                )
                writer.start()

                def logged_at_least(count: int) -> bool:
                    return len(set(appended) & refs(audit_db).keys()) >= count

                for threshold in (300, 1500):
                    wait_until(
                        partial(logged_at_least, threshold),
                        timeout=120,
                        what=f"{threshold} events in the log",
                    )
                    consumer.kill_and_restart()  # SIGKILL: no commit, no goodbye
                writer.join()
                wait_until(
                    lambda: set(appended) <= refs(audit_db).keys(),
                    timeout=180,
                    what="every event in the log",
                )
            finally:
                stop.set()
                relaying.join(30)
                consumer.stop()
        with psycopg.connect(stack.service_database_url("identity")) as conn:
            identity_events = {
                str(r[0])
                for r in conn.execute("SELECT event_id FROM events WHERE tenant = %s", (slug,))
            }
        logged = refs(audit_db)
        assert len(appended) == EVENTS and identity_events
        assert all(logged.get(event_id) == 1 for event_id in appended)
        assert all(logged.get(event_id) == 1 for event_id in identity_events)
        assert all(n == 1 for n in logged.values())
        # And the chain the consumer built across its restarts is whole.
        env = {**os.environ, **stack.service_env("audit"), "DATABASE_URL": audit_db}
        checked = subprocess.run(
            ["snp-audit", "self-check"], env=env, capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert f"{tenant}: intact" in checked.stdout


@pytest.fixture(scope="module")
def audit_url(stack: Any) -> str:
    return f"http://127.0.0.1:{stack.ports.services['audit'][0]}/audit"


@pytest.fixture(scope="module")
def token(stack: Any) -> str:
    return str(stack.service_env("audit")["SNP_DECISION_LOG_TOKEN"])


def stack_entries(stack: Any, where: str, *params: Any) -> list[dict[str, Any]]:
    with psycopg.connect(stack.service_database_url("audit")) as conn:
        rows = conn.execute(f"SELECT entry FROM audit_entries WHERE {where}", params).fetchall()
    return [json.loads(bytes(r[0])) for r in rows]


def test_opa_sends_its_decisions_and_only_ids_and_kinds_are_kept(stack: Any) -> None:
    tenant, account = f"t-{uuid.uuid4().hex[:8]}", f"acct-{uuid.uuid4()}"
    subject = {"id": account, "kind": "police", "tenant": tenant, "mfa": True, "group_roles": {}}
    # A careless service might someday put personal data in the input: it must not be logged.
    resource = {
        "type": "group",
        "id": "g-1",
        "tenant": tenant,
        "group_id": "g-1",
        "group_type": "neighbourhood_watch",
        "owner_email": "alex.resident@example.org",
        "display_name": "Alex Resident",
    }
    with OpaClient(stack.opa_url) as opa:
        decision = opa.decide(subject, "membership.members.read", resource)
        allowed = opa.allowed_ids(subject, "membership.group.read", [resource])
    assert decision.allow and decision.decision_id and allowed == {"g-1"}
    wait_until(
        lambda: len(stack_entries(stack, "tenant = %s AND source = 'decision'", tenant)) == 2,
        timeout=60,
        what="both decisions in the stack's audit log",
    )
    entries = stack_entries(stack, "tenant = %s ORDER BY idx", tenant)
    single = next(e for e in entries if e["ref"] == decision.decision_id)
    assert (single["actor"], single["subject"], single["type"]) == (
        account,
        "group:g-1",  # one style: the resource's type and id
        "membership.members.read",
    )
    assert single["attrs"]["allow"] is True and single["attrs"]["subject_kind"] == "police"
    batch = next(e for e in entries if e["ref"] != decision.decision_id)
    assert batch["attrs"]["asked_ids"] == ["g-1"] and batch["attrs"]["allowed_ids"] == ["g-1"]
    text = json.dumps(entries)
    assert "alex.resident@example.org" not in text and "Alex Resident" not in text


def post_logs(url: str, token: str | None, body: bytes, gzipped: bool = True) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(f"{url}/decision-logs", content=body, headers=headers)


def decision_item(
    tenant: str, decision_id: str, path: str = "snp/authz/decision"
) -> dict[str, Any]:
    return {
        "decision_id": decision_id,
        "path": path,
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "123Z"),
        "input": {
            "subject": {"id": "acct-1", "kind": "auditor", "tenant": tenant, "mfa": True},
            "action": "audit.events.read",
            "resource": {"type": "log", "id": tenant, "tenant": tenant},
        },
        "result": {"allow": True, "reasons": ["grant:auditor_reads_tenant_log"]},
    }


def test_a_retried_batch_is_logged_once_and_bad_uploads_change_nothing(
    stack: Any, audit_url: str, token: str
) -> None:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    batch = [decision_item(tenant, str(uuid.uuid4())) for _ in range(3)]
    batch.append(decision_item(tenant, str(uuid.uuid4()), path="system/health"))
    body = gzip.compress(json.dumps(batch).encode())
    assert post_logs(audit_url, None, body).status_code == 401
    assert post_logs(audit_url, "not-the-token", body).status_code == 401
    for _ in range(2):  # OPA retries a batch it did not see acknowledged
        assert post_logs(audit_url, token, body).status_code == 204
    assert post_logs(audit_url, token, json.dumps(batch).encode(), gzipped=False).status_code == 204
    for bad in (b"\x1f\x8bnot gzip", gzip.compress(b"{not json"), gzip.compress(b'{"a": 1}')):
        refused = post_logs(audit_url, token, bad)
        assert refused.status_code == 400
        assert refused.headers["content-type"].startswith("application/problem+json")
    bomb = gzip.compress(b"[" + b" " * (20 * 1024 * 1024) + b"]")
    assert post_logs(audit_url, token, bomb).status_code == 413
    logged = stack_entries(stack, "tenant = %s", tenant)
    assert sorted(e["ref"] for e in logged) == sorted(i["decision_id"] for i in batch[:3])
    assert [e["index"] for e in sorted(logged, key=lambda e: e["index"])] == [0, 1, 2]
