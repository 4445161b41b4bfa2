"""Health and metrics for the worker processes (relay, consumers), which serve no API.

A worker's loop beats a Heartbeat on every turn; a small HTTP server answers `/healthz` with 200
while the last beat is recent and 503 once the loop has been stuck longer than `max_age` (so
Kubernetes restarts a wedged worker), and `/metrics` for Prometheus.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


class Heartbeat:
    """When a worker's loop last went round."""

    def __init__(self) -> None:
        self._last = time.monotonic()

    def beat(self) -> None:
        self._last = time.monotonic()

    def age(self) -> float:
        return time.monotonic() - self._last


def serve_worker_health(
    heartbeat: Heartbeat, port: int, host: str = "127.0.0.1", max_age: float = 120.0
) -> ThreadingHTTPServer:
    """Answer `/healthz` and `/metrics` on a daemon thread; the caller shuts the server down."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/healthz":
                alive = heartbeat.age() <= max_age
                self._answer(200 if alive else 503, b"ok\n" if alive else b"stuck\n", "text/plain")
            elif self.path == "/metrics":
                self._answer(200, generate_latest(), CONTENT_TYPE_LATEST)
            else:
                self._answer(404, b"not found\n", "text/plain")

        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # probes every few seconds would drown the worker's own logs

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="worker-health", daemon=True).start()
    return server
