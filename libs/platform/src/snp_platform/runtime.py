"""Running a service's roles: `api` (REST and gRPC in one process), `relay` and `consumer`.

Every service's CLI calls these, so the processes behave the same everywhere: the platform
tables exist before anything starts, SIGTERM and SIGINT stop gracefully, logs are JSON.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import grpc
import uvicorn
from fastapi import FastAPI
from psycopg_pool import ConnectionPool

from snp_platform.consumer import ConsumerRunner
from snp_platform.eventstore import create_platform_schema
from snp_platform.grpc_server import ServicerRegistration, create_grpc_server
from snp_platform.grpc_tls import grpc_tls
from snp_platform.health import ReadinessCheck
from snp_platform.logging import configure_logging
from snp_platform.projections import Subscriptions
from snp_platform.relay import Relay
from snp_platform.revocations import RevocationList
from snp_platform.settings import ServiceSettings
from snp_platform.tracing import configure_tracing
from snp_platform.worker_health import Heartbeat, serve_worker_health


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT, for loops that should finish what they are doing."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def prepare(settings: ServiceSettings, role: str = "") -> None:
    """Logging, tracing (when OTEL_* asks for it), and the event store tables in the service's
    own database. `role` names the process (api, relay, consumer...) in its spans."""
    configure_logging(settings.service_name, settings.log_level)
    configure_tracing(settings.service_name, role)
    create_platform_schema(settings.database_url)


def serve_api(
    settings: ServiceSettings,
    app: FastAPI,
    servicers: Sequence[ServicerRegistration] = (),
    interceptors: Sequence[grpc.ServerInterceptor] = (),
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
) -> None:
    """Serve REST with uvicorn and gRPC beside it until a signal stops uvicorn.

    Unless the app already has one, it gets a RevocationList over the service's own database
    (fed by its consumer, see serve_consumer): no service's API honours a revoked account's token.
    """
    own_pool: ConnectionPool[Any] | None = None
    if getattr(app.state, "revocations", None) is None:
        own_pool = ConnectionPool(
            settings.database_url,
            min_size=1,
            max_size=2,
            timeout=settings.db_pool_timeout_seconds,
            open=True,
        )
        app.state.revocations = RevocationList(own_pool)
    grpc_server = create_grpc_server(
        settings.grpc_port,
        servicers,
        interceptors,
        host=settings.grpc_host,
        readiness_checks=readiness_checks,
        tls=grpc_tls(settings),
    )
    grpc_server.start()
    try:
        serve_http(settings, app)
    finally:
        grpc_server.stop()
        if own_pool is not None:
            own_pool.close()


def serve_http(settings: ServiceSettings, app: FastAPI) -> None:
    """Serve the app with uvicorn on the service's HTTP address until a signal stops it. Every
    service and the portal start this way: logging stays as configure_logging set it (JSON),
    and X-Forwarded-For is believed only from the addresses in `forwarded_allow_ips`."""
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        timeout_keep_alive=settings.http_keep_alive_seconds,
    )


def serve_relay(settings: ServiceSettings, pool: ConnectionPool[Any]) -> None:
    """Publish the service's events to `snp.<service>.events` until stopped."""
    relay = Relay(pool, settings.kafka_bootstrap, settings.service_name)
    with _worker_health(settings) as heartbeat:
        relay.run(stop_on_signals(), heartbeat=heartbeat)


@contextmanager
def _worker_health(settings: ServiceSettings) -> Iterator[Heartbeat]:
    """`/healthz` and `/metrics` for a worker on SNP_HEALTH_PORT (none when it is 0)."""
    heartbeat = Heartbeat()
    if not settings.health_port:
        yield heartbeat
        return
    server = serve_worker_health(heartbeat, settings.health_port, settings.http_host)
    try:
        yield heartbeat
    finally:
        server.shutdown()


def serve_consumer(
    settings: ServiceSettings, pool: ConnectionPool[Any], subscriptions: Subscriptions
) -> None:
    """Feed the subscribed topics' events to the service's projections and reactions until
    stopped. Each service names identity's topic and RevocationsProjection itself, so its API
    honours revoked tokens (see revocations.py)."""
    runner = ConsumerRunner(
        pool,
        settings.kafka_bootstrap,
        subscriptions.group_id,
        list(subscriptions.topics),
        subscriptions,
    )
    with _worker_health(settings) as heartbeat:
        runner.run(stop_on_signals(), heartbeat=heartbeat)
