"""Readiness checks against the real PostgreSQL, Kafka and OPA of the stack, and closed ports."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from fastapi.testclient import TestClient
from grpc import insecure_channel
from grpc_health.v1 import health_pb2, health_pb2_grpc

from snp_platform.grpc_server import create_grpc_server
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app
from snp_platform.settings import ServiceSettings

pytestmark = pytest.mark.integration


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _stack_checks(stack: Any) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(stack.service_database_url("identity")),
        "kafka": kafka_check(stack.kafka_bootstrap),
        "opa": opa_check(stack.opa_url),
    }


def test_each_check_passes_against_the_stack(stack: Any) -> None:
    for name, check in _stack_checks(stack).items():
        ok, detail = check()
        assert ok, f"{name}: {detail}"


def test_each_check_fails_for_a_closed_port() -> None:
    port = _closed_port()
    checks = {
        "postgres": postgres_check(f"postgresql://snp@127.0.0.1:{port}/snp", timeout=1),
        "kafka": kafka_check(f"127.0.0.1:{port}", timeout=1),
        "opa": opa_check(f"http://127.0.0.1:{port}", timeout=1),
    }
    for name, check in checks.items():
        ok, detail = check()
        assert not ok, name
        assert detail, name


def test_readyz_and_grpc_health_follow_the_real_checks(stack: Any) -> None:
    checks = _stack_checks(stack)
    app = create_app(ServiceSettings(service_name="readiness"), checks)
    response = TestClient(app).get("/readyz")
    assert response.status_code == 200, response.text

    broken = {**checks, "kafka": kafka_check(f"127.0.0.1:{_closed_port()}", timeout=1)}
    response = TestClient(create_app(ServiceSettings(service_name="readiness"), broken)).get(
        "/readyz"
    )
    assert response.status_code == 503
    assert response.json()["failing"] == ["kafka"]

    for readiness, expected in (
        (checks, health_pb2.HealthCheckResponse.SERVING),
        (broken, health_pb2.HealthCheckResponse.NOT_SERVING),
    ):
        server = create_grpc_server(0, readiness_checks=readiness)
        server.start()
        try:
            with insecure_channel(f"127.0.0.1:{server.port}") as channel:
                stub = health_pb2_grpc.HealthStub(channel)
                reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
            assert reply.status == expected
        finally:
            server.stop(grace=0)
