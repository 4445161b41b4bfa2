"""OPA serving the platform's policy from policies/, built from its Go module by `tools`, and
sending its decision logs to the audit service when audit is installed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx

from snp_stack import processes, tools


def healthy(url: str) -> bool:
    """True when OPA's GET /health answers 200 (server up and bundles/policies loaded)."""
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def decision_log_config(audit_url: str, token: str) -> dict[str, object]:
    """Decision logs to audit's `POST /audit/decision-logs`, gzip batches every second or two,
    with the bearer token audit checks (OPA retries a batch until audit takes it)."""
    return {
        "services": {
            "audit": {"url": audit_url, "credentials": {"bearer": {"token": token}}},
        },
        "decision_logs": {
            "service": "audit",
            "resource": "/audit/decision-logs",
            "reporting": {"min_delay_seconds": 1, "max_delay_seconds": 2},
        },
    }


def write_config(path: Path, config: dict[str, object]) -> Path:
    """The config holds the token: owner-only, like the stack's other secrets."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(config, out, indent=2)
    return path


def command(opa: Path, port: int, policies: Path, config: Path | None = None) -> list[str]:
    """The server command; telemetry is off because the stack has no internet access to report."""
    return [
        str(opa),
        "run",
        "--server",
        "--addr",
        f"127.0.0.1:{port}",
        "--log-level",
        "info",
        "--disable-telemetry",
        *(["--config-file", str(config)] if config else []),
        str(policies),
    ]


def start(
    port: int, policies: Path, log: Path, config: Path | None = None
) -> tuple[processes.Component, str]:
    """Start OPA on loopback and wait for /health; returns its base URL."""
    opa = tools.ensure_go_tool("opa")
    policies.mkdir(parents=True, exist_ok=True)
    proc = processes.spawn("opa", command(opa, port, policies, config), log)
    url = f"http://127.0.0.1:{port}"
    component = processes.Component("opa", url, proc.pid, str(log), processes.start_time(proc.pid))
    try:
        processes.wait_ready("OPA", proc, lambda: healthy(url), log, timeout=60)
    except Exception:
        processes.stop(component)
        raise
    return component, url
