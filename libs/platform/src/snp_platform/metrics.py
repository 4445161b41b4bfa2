"""Prometheus metrics: get-or-create helpers, HTTP request metrics and the `/metrics` app."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Sequence
from typing import TypeVar

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, make_asgi_app
from prometheus_client.metrics import MetricWrapperBase
from starlette.types import ASGIApp, Message, Receive, Scope, Send

M = TypeVar("M", bound=MetricWrapperBase)

# Libraries define their metrics lazily and may be imported by several apps in one process
# (tests, local roles sharing a process); registering a name twice raises, so cache them.
_metrics: weakref.WeakKeyDictionary[CollectorRegistry, dict[str, MetricWrapperBase]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def _get_or_create(
    kind: type[M], name: str, doc: str, labels: Sequence[str], registry: CollectorRegistry
) -> M:
    with _lock:
        known = _metrics.setdefault(registry, {})
        existing = known.get(name)
        if existing is None:
            existing = known[name] = kind(name, doc, list(labels), registry=registry)
        if not isinstance(existing, kind):
            raise TypeError(f"metric {name} is already a {type(existing).__name__}")
        return existing


def counter(
    name: str, doc: str, labels: Sequence[str] = (), registry: CollectorRegistry = REGISTRY
) -> Counter:
    """The counter called `name` in `registry`, created on first use."""
    return _get_or_create(Counter, name, doc, labels, registry)


def histogram(
    name: str, doc: str, labels: Sequence[str] = (), registry: CollectorRegistry = REGISTRY
) -> Histogram:
    """The histogram called `name` in `registry`, created on first use."""
    return _get_or_create(Histogram, name, doc, labels, registry)


def gauge(
    name: str, doc: str, labels: Sequence[str] = (), registry: CollectorRegistry = REGISTRY
) -> Gauge:
    """The gauge called `name` in `registry`, created on first use."""
    return _get_or_create(Gauge, name, doc, labels, registry)


def metrics_app(registry: CollectorRegistry = REGISTRY) -> ASGIApp:
    """An ASGI app serving `registry` in the Prometheus text format (mount it at `/metrics`)."""
    app: ASGIApp = make_asgi_app(registry=registry)
    return app


class HttpMetricsMiddleware:
    """Counts requests and times them by method, route template and status.

    The route template (`/membership/groups/{id}`), never the raw path, keeps label cardinality
    bounded; requests that match no route are labelled `unmatched`.
    """

    def __init__(self, app: ASGIApp, registry: CollectorRegistry = REGISTRY) -> None:
        self.app = app
        self.requests = counter(
            "snp_http_requests_total",
            "HTTP requests by method, route template and status.",
            ("method", "route", "status"),
            registry,
        )
        self.duration = histogram(
            "snp_http_request_duration_seconds",
            "HTTP request latency by method and route template.",
            ("method", "route"),
            registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request, then record its status and duration."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the client sees if the app raises before responding
        started = time.perf_counter()

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = str(scope["method"])
            self.requests.labels(method, template, str(status)).inc()
            self.duration.labels(method, template).observe(time.perf_counter() - started)
