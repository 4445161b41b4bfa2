"""A local OTLP/HTTP trace receiver that keeps the spans it is sent, for tests to read.

It speaks the collector's `POST /v1/traces` (protobuf `ExportTraceServiceRequest`, gzip or not),
as an OpenTelemetry Collector, Jaeger or Tempo would; a council's own collector takes its place
outside tests (docs/operations.md). It runs in the test process, on loopback, on a free port.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

MAX_SPANS = 200_000  # a whole test session's worth; the oldest go first


@dataclass(frozen=True)
class ReceivedSpan:
    trace_id: str  # hex, as in a traceparent
    span_id: str
    parent_span_id: str  # "" for a trace's root
    name: str
    service: str  # the resource's service.name
    role: str  # the resource's snp.role (api, relay, consumer ...)
    kind: int  # OTLP's SpanKind number (2 server, 3 client, 4 producer, 5 consumer)


def _attribute(attributes: Any, key: str) -> str:
    for item in attributes:
        if item.key == key:
            return str(item.value.string_value)
    return ""


def spans_of(request: ExportTraceServiceRequest) -> list[ReceivedSpan]:
    found = []
    for resource_spans in request.resource_spans:
        attributes = resource_spans.resource.attributes
        service, role = _attribute(attributes, "service.name"), _attribute(attributes, "snp.role")
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                found.append(
                    ReceivedSpan(
                        span.trace_id.hex(),
                        span.span_id.hex(),
                        span.parent_span_id.hex(),
                        span.name,
                        service,
                        role,
                        int(span.kind),
                    )
                )
    return found


class TraceSink:
    """`with TraceSink() as sink:` serves on 127.0.0.1; `exporter_env()` points processes at it."""

    def __init__(self) -> None:
        self._spans: deque[ReceivedSpan] = deque(maxlen=MAX_SPANS)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1/traces"

    def exporter_env(self) -> dict[str, str]:
        """The standard variables that send a process's spans here, soon after they end.

        Only traces a caller asks for are recorded: a request whose traceparent says "sampled",
        and everything that continues it (Kafka included). Recording every request and every
        consumer's SQL of a whole test session put millions of spans through a 2-core machine
        and starved the consumers of the stack under test."""
        return {
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": self.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_TRACES_SAMPLER": "parentbased_always_off",
        }

    def spans(self, trace_id: str | None = None) -> list[ReceivedSpan]:
        with self._lock:
            return [s for s in self._spans if trace_id is None or s.trace_id == trace_id]

    def wait_for(
        self, trace_id: str, done: Callable[[list[ReceivedSpan]], bool], timeout: float = 60.0
    ) -> list[ReceivedSpan]:
        """The trace's spans once `done` says they are all here (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.spans(trace_id)
            if done(found):
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"trace {trace_id} incomplete: {found}")
            time.sleep(0.2)

    def _receive(self, body: bytes) -> None:
        request = ExportTraceServiceRequest.FromString(body)
        received = spans_of(request)
        with self._lock:
            self._spans.extend(received)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.headers.get("Content-Encoding", "").lower() == "gzip":
                    body = gzip.decompress(body)
                if self.path != "/v1/traces":
                    self.send_error(404)
                    return
                try:
                    sink._receive(body)
                except Exception:  # a malformed export is refused, the sink keeps serving
                    self.send_error(400)
                    return
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the test output stays readable

        return Handler

    def __enter__(self) -> TraceSink:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
