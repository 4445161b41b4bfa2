"""OPA serving the platform's policy from policies/, built from its Go module by `tools`."""

from __future__ import annotations

from pathlib import Path

import httpx

from snp_stack import processes, tools


def healthy(url: str) -> bool:
    """True when OPA's GET /health answers 200 (server up and bundles/policies loaded)."""
    try:
        return httpx.get(f"{url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def command(opa: Path, port: int, policies: Path) -> list[str]:
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
        str(policies),
    ]


def start(port: int, policies: Path, log: Path) -> tuple[processes.Component, str]:
    """Start OPA on loopback and wait for /health; returns its base URL."""
    opa = tools.ensure_go_tool("opa")
    policies.mkdir(parents=True, exist_ok=True)
    proc = processes.spawn("opa", command(opa, port, policies), log)
    url = f"http://127.0.0.1:{port}"
    component = processes.Component("opa", url, proc.pid, str(log), processes.start_time(proc.pid))
    try:
        processes.wait_ready("OPA", proc, lambda: healthy(url), log, timeout=60)
    except Exception:
        processes.stop(component)
        raise
    return component, url
