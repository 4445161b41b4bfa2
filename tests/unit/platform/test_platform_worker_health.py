"""A worker's /healthz follows its loop's heartbeat; /metrics serves Prometheus text."""

from __future__ import annotations

import socket
from typing import Any

import httpx

from snp_platform.worker_health import Heartbeat, serve_worker_health


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_healthz_is_ok_while_the_loop_turns_and_503_once_it_is_stuck(monkeypatch: Any) -> None:
    clock = [1000.0]
    monkeypatch.setattr("snp_platform.worker_health.time.monotonic", lambda: clock[0])
    heartbeat, port = Heartbeat(), _free_port()
    server = serve_worker_health(heartbeat, port, max_age=120)
    try:
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/healthz").status_code == 200
        clock[0] += 121  # the loop has not gone round for two minutes
        assert httpx.get(f"{base}/healthz").status_code == 503
        heartbeat.beat()
        assert httpx.get(f"{base}/healthz").status_code == 200
        metrics = httpx.get(f"{base}/metrics")
        assert metrics.status_code == 200 and "python_info" in metrics.text
        assert httpx.get(f"{base}/anything-else").status_code == 404
    finally:
        server.shutdown()
