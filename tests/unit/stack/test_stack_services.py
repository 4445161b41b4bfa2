"""Service processes: started with their environment, api awaited on its port, stopped whole."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from snp_stack import processes, services
from snp_stack.ports import free_ports

FAKE_SERVICE = """#!{python}
import json, os, sys, time, http.server
role = sys.argv[1]
with open(os.path.join(os.environ["OUT"], role + ".json"), "w") as out:
    keep = ("SNP_", "DATABASE", "KAFKA", "OPA")
    json.dump({{k: v for k, v in os.environ.items() if k.startswith(keep)}}, out)
if role == "api":
    port = int(os.environ["SNP_HTTP_PORT"])
    handler = http.server.SimpleHTTPRequestHandler
    http.server.HTTPServer(("127.0.0.1", port), handler).serve_forever()
time.sleep(600)
"""


def test_service_roles_start_with_their_environment_and_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "snp-fake"
    script.write_text(FAKE_SERVICE.format(python=sys.executable))
    script.chmod(0o755)
    monkeypatch.setattr(services, "_script", lambda name: str(script))
    monkeypatch.setenv("OUT", str(tmp_path))
    http, grpc = free_ports(2)
    spec = services.ServiceSpec("fake", http, grpc)
    env = {"DATABASE_URL": "postgresql://h/snp_fake", "KAFKA_BOOTSTRAP": "k:1", "OPA_URL": "o"}

    started = services.start(spec, env, http, grpc, tmp_path / "logs")

    try:
        assert [c.name for c in started] == ["fake-api", "fake-relay", "fake-consumer"]
        for _ in range(50):
            if all((tmp_path / f"{role}.json").exists() for role in spec.roles):
                break
            time.sleep(0.1)
        seen = json.loads((tmp_path / "relay.json").read_text())
        assert seen["DATABASE_URL"] == "postgresql://h/snp_fake"
        assert seen["SNP_HTTP_PORT"] == str(http)
        assert seen["SNP_GRPC_PORT"] == str(grpc)
        assert seen["KAFKA_BOOTSTRAP"] == "k:1"
        assert all(processes.alive(c) for c in started)
    finally:
        for component in reversed(started):
            processes.stop(component, timeout=5)
    assert not any(processes.alive(c) for c in started)


def test_service_table_has_the_documented_ports() -> None:
    table = {s.name: (s.http_port, s.grpc_port) for s in services.SERVICES}
    assert table == {
        "identity": (8001, 50051),
        "membership": (8002, 50052),
        "documents": (8003, 50053),
        "messaging": (8004, 50054),
        "audit": (8005, 50055),
        "engagement": (8006, 50056),
        "portal": (8000, 0),  # no gRPC
    }
