"""Readiness checks (small callables returning `(ok, detail)`) and the gRPC health service."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
import httpx
import psycopg
from confluent_kafka.admin import AdminClient
from grpc_health.v1 import health, health_pb2

from snp_platform.kafka import client_config

ReadinessCheck = Callable[[], tuple[bool, str]]


def _failure(exc: BaseException) -> tuple[bool, str]:
    # Class and first line only: enough for an operator, no stack, no credentials.
    first_line = (str(exc).strip().splitlines() or [""])[0][:200]
    return False, f"{type(exc).__name__}: {first_line}".rstrip(": ")


def postgres_check(conninfo: str, timeout: float = 2.0) -> ReadinessCheck:
    """Ready when `SELECT 1` succeeds on a fresh connection within `timeout` seconds."""

    def check() -> tuple[bool, str]:
        try:
            connect_timeout = max(1, int(timeout))  # libpq takes whole seconds
            with psycopg.connect(conninfo, connect_timeout=connect_timeout) as conn:
                conn.execute("SELECT 1")
        except Exception as exc:
            return _failure(exc)
        return True, "ok"

    return check


def kafka_check(bootstrap: str, timeout: float = 2.0) -> ReadinessCheck:
    """Ready when the Kafka cluster answers a metadata request within `timeout` seconds."""

    def check() -> tuple[bool, str]:
        try:
            # A short reconnect backoff so a closed port fails fast instead of retrying quietly.
            admin = AdminClient(
                {
                    **client_config(bootstrap),
                    "socket.timeout.ms": int(timeout * 1000),
                    "reconnect.backoff.max.ms": 500,
                    "log_level": 0,
                }
            )
            metadata = admin.list_topics(timeout=timeout)
        except Exception as exc:
            return _failure(exc)
        return True, f"{len(metadata.brokers)} broker(s)"

    return check


def opa_check(url: str, timeout: float = 2.0) -> ReadinessCheck:
    """Ready when OPA's `GET /health` answers 200 within `timeout` seconds."""

    client = httpx.Client(timeout=timeout)  # reused: probes run every few seconds

    def check() -> tuple[bool, str]:
        try:
            response = client.get(f"{url.rstrip('/')}/health")
        except Exception as exc:
            return _failure(exc)
        return response.status_code == 200, f"HTTP {response.status_code}"

    return check


def run_checks(checks: Mapping[str, ReadinessCheck]) -> dict[str, tuple[bool, str]]:
    """Run every check concurrently; a check that raises counts as failed. Never raises."""

    def safe(check: ReadinessCheck) -> tuple[bool, str]:
        try:
            ok, detail = check()
            return bool(ok), str(detail)
        except Exception as exc:
            return _failure(exc)

    if not checks:
        return {}
    with ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readiness") as pool:
        futures = {name: pool.submit(safe, check) for name, check in checks.items()}
        return {name: future.result() for name, future in futures.items()}


class ReadinessHealthServicer(health.HealthServicer):  # type: ignore[misc]
    """gRPC health that answers SERVING only while every readiness check passes.

    `Check` re-runs the checks (at most once per `cache_seconds`, so probes cannot overload the
    database); the overall status `""` and each named service follow the result.
    """

    def __init__(
        self,
        checks: Mapping[str, ReadinessCheck],
        services: Iterable[str] = (),
        cache_seconds: float = 1.0,
    ) -> None:
        super().__init__()
        self._checks = dict(checks)
        self._services = ["", *services]
        self._cache_seconds = cache_seconds
        self._checked_at: float | None = None
        self._refresh_lock = threading.Lock()
        self.refresh()

    def refresh(self) -> bool:
        """Run the checks now and publish SERVING / NOT_SERVING; returns whether all passed."""
        with self._refresh_lock:
            ok = all(passed for passed, _ in run_checks(self._checks).values())
            self._checked_at = time.monotonic()
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if ok
            else (health_pb2.HealthCheckResponse.NOT_SERVING)
        )
        for service in self._services:
            self.set(service, status)
        return ok

    def Check(self, request: Any, context: grpc.ServicerContext) -> Any:
        """Answer from a fresh (or `cache_seconds`-old) run of the readiness checks."""
        checked_at = self._checked_at
        if checked_at is None or time.monotonic() - checked_at >= self._cache_seconds:
            self.refresh()
        return super().Check(request, context)
