"""OpenTelemetry tracing: off unless an OTLP endpoint is configured, by the standard variables.

`OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) turns it on; every other
`OTEL_*` variable (headers, sampler, batch delays, `OTEL_SERVICE_NAME`) means what the
OpenTelemetry specification says. On, each process exports spans over OTLP/HTTP for its REST
requests (FastAPI), gRPC calls both ways, SQL (psycopg) and outgoing HTTP (httpx, OPA included).

The trace continues through Kafka: an event records the traceparent of the request that appended
it (`EventMetadata.traceparent`, see `request_traceparent`), the relay publishes it as the record's
`traceparent` header and in the envelope, and a consumer applies each event inside a span whose
parent is that traceparent. So one resident's request can be followed from the REST call to the
audit entry it caused, across every service that reacted to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
# Probes and scrapes every few seconds would bury the requests people make.
_UNTRACED_URLS = "healthz,readyz,metrics"
_PROPAGATOR = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("snp_platform")
_enabled = False


def tracing_wanted(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment asks for traces: an OTLP endpoint, and the SDK not disabled."""
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if env.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "none":
        return False
    return any(env.get(name, "").strip() for name in _ENDPOINT_VARIABLES)


def configure_tracing(service_name: str, role: str) -> bool:
    """Export this process's spans when the environment asks for it (once per process); whether
    tracing is on. `role` (api, relay, consumer, worker) tells a service's processes apart."""
    global _enabled
    if _enabled or not tracing_wanted():
        return _enabled
    # Imported here: a process that does not trace never loads the SDK or the instrumentations.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.grpc import (
        GrpcInstrumentorClient,
        GrpcInstrumentorServer,
    )
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    attributes = {"service.name": f"snp-{service_name}", "snp.role": role}
    # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over these defaults.
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument()
    PsycopgInstrumentor().instrument(enable_commenter=False)
    GrpcInstrumentorServer().instrument()  # type: ignore[no-untyped-call]
    GrpcInstrumentorClient().instrument()  # type: ignore[no-untyped-call]
    _enabled = True
    return True


def instrument_app(app: Any) -> None:
    """Trace the FastAPI app's requests, when tracing is on (its probes and metrics left out)."""
    if not _enabled:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=_UNTRACED_URLS, exclude_spans=["receive", "send"]
    )


def current_traceparent() -> str:
    """The W3C traceparent of the span being run, or "" when none is recording."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent", "")


def request_traceparent(incoming: str) -> str:
    """What an event appended by this request records: the request's own span when tracing is
    on (so consumers continue this trace), else the caller's header as it came."""
    return current_traceparent() or incoming[:55]


@contextmanager
def continued_span(name: str, traceparent: str, kind: trace.SpanKind) -> Iterator[None]:
    """Run the body in a span that continues the trace of `traceparent` (a new trace when it is
    empty or invalid); nothing at all when tracing is off."""
    if not _enabled:
        yield
        return
    parent = _PROPAGATOR.extract({"traceparent": traceparent}) if traceparent else None
    with _tracer.start_as_current_span(name, context=parent, kind=kind):
        yield


def current_trace_ids() -> tuple[str, str] | None:
    """(trace id, span id) in hex of the span being run, for the log context; None when none."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return None
    return f"{span_context.trace_id:032x}", f"{span_context.span_id:016x}"
