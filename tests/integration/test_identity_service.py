"""The identity service runs in the stack: its API and relay are up, ready, and documented."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest

from snp_stack.processes import alive

pytestmark = pytest.mark.integration


def identity_url(stack: Any) -> str:
    http_port, _grpc_port = stack.ports.services["identity"]
    return f"http://127.0.0.1:{http_port}"


def test_identity_api_and_relay_are_running(stack: Any) -> None:
    for role in ("api", "relay"):
        assert alive(stack.component(f"identity-{role}")), f"identity {role} is not running"


def test_identity_is_ready_when_its_database_kafka_and_opa_answer(stack: Any) -> None:
    ready = httpx.get(f"{identity_url(stack)}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    assert set(ready.json()["checks"]) == {"postgres", "kafka", "opa"}
    assert httpx.get(f"{identity_url(stack)}/healthz", timeout=5).json() == {"status": "alive"}


def test_identity_serves_openapi_and_problem_documents(stack: Any) -> None:
    openapi = httpx.get(f"{identity_url(stack)}/identity/openapi.json", timeout=5)
    assert openapi.status_code == 200
    assert openapi.json()["info"]["title"] == "Safer Neighbourhoods identity"
    missing = httpx.get(f"{identity_url(stack)}/identity/no-such-thing", timeout=5)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_identity_created_its_event_store_in_its_own_database(stack: Any) -> None:
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
    assert {"events", "relay_checkpoints", "processed_events"} <= tables
