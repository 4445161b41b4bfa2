"""OpaClient against a real OPA serving policies/: answers, batch, and failing closed."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from snp_platform.opa import UNAVAILABLE, Decision, OpaClient
from snp_stack.toolbox import require

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_opa() -> tuple[subprocess.Popen[bytes], str]:
    """Start `opa run --server` on a free loopback port with decision logs on; wait for health."""
    binary = str(require("opa"))  # the stack's pinned build, cached by `make tools`
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "run",
            "--server",
            "--addr",
            f"127.0.0.1:{port}",
            "--skip-version-check",
            "--log-level",
            "error",
            "--set",
            "decision_logs.console=true",
            str(POLICIES),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"opa exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health?bundles", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    stop(proc)
    raise RuntimeError("opa did not become healthy")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def opa_url() -> Iterator[str]:
    proc, url = start_opa()
    try:
        yield url
    finally:
        stop(proc)


@pytest.fixture
def client(opa_url: str) -> Iterator[OpaClient]:
    with OpaClient(opa_url, timeout_seconds=5) as c:
        yield c


def failures() -> float:
    total = 0.0
    for metric in REGISTRY.collect():
        if metric.name == "snp_opa_failures":
            total += sum(s.value for s in metric.samples if s.name == "snp_opa_failures_total")
    return total


def member(roles: dict[str, list[str]], tenant: str = "met") -> dict[str, Any]:
    return {"id": "m1", "kind": "member", "tenant": tenant, "mfa": False, "group_roles": roles}


def police(tenant: str = "met", mfa: bool = True) -> dict[str, Any]:
    return {"id": "p1", "kind": "police", "tenant": tenant, "mfa": mfa, "group_roles": {}}


def group(gid: str = "g1", tenant: str = "met", **attrs: Any) -> dict[str, Any]:
    base = {
        "type": "group",
        "id": gid,
        "tenant": tenant,
        "group_id": gid,
        "group_type": "community_group",
        "visibility": "hidden",
        "status": "open",
    }
    return base | attrs


def test_allow_comes_back_with_its_grant(client: OpaClient) -> None:
    decision = client.decide(police(), "membership.members.read", group())
    assert decision.allow is True
    assert decision.reasons == ("grant:police_or_admin_reads_every_membership",)
    assert isinstance(decision.decision_id, str)
    assert decision.decision_id


def test_deny_comes_back_with_reasons(client: OpaClient) -> None:
    decision = client.decide(member({"g1": ["member"]}), "membership.group.update", group())
    assert decision == Decision(False, ("not_an_officer",), decision.decision_id)
    staff = client.decide(police(mfa=False), "documents.document.read", group(audience="members"))
    assert staff.allow is False
    assert {"mfa_required", "staff_kind_never_documents"} <= set(staff.reasons)


def test_cross_tenant_denied(client: OpaClient) -> None:
    decision = client.decide(police(tenant="ldn"), "membership.group.read", group(tenant="met"))
    assert decision.allow is False
    assert "cross_tenant" in decision.reasons


def test_unknown_action_denied(client: OpaClient) -> None:
    decision = client.decide(police(), "membership.group.nuke", group())
    assert decision.allow is False
    assert "unknown_action" in decision.reasons


def test_batch_returns_exactly_the_allowed_ids(client: OpaClient) -> None:
    resources = [
        group("g1", visibility="public"),
        group("g2", visibility="hidden"),
        group("g3", visibility="hidden"),
        group("g4", tenant="ldn", visibility="public"),
        group("g5", visibility="public", status="closed"),
    ]
    subject = member({"g3": ["member"]})
    assert client.allowed_ids(subject, "membership.group.read", resources) == {"g1", "g3"}
    everything_in_met = {"g1", "g2", "g3", "g5"}
    assert client.allowed_ids(police(), "membership.group.read", resources) == everything_in_met
    assert client.allowed_ids(police(), "documents.document.read", resources) == frozenset()
    assert client.allowed_ids(police(), "membership.group.read", []) == frozenset()


def test_batch_agrees_with_single_decisions(client: OpaClient) -> None:
    resources = [
        group(f"g{i}", visibility=v, group_type=t)
        for i, (v, t) in enumerate(
            (v, t) for v in ("public", "hidden") for t in ("neighbourhood_watch", "ward_panel")
        )
    ]
    subject = {
        "id": "a1",
        "kind": "area_coordinator",
        "tenant": "met",
        "mfa": True,
        "group_roles": {},
    }
    allowed = client.allowed_ids(subject, "membership.members.read", resources)
    singly = {
        r["id"] for r in resources if client.decide(subject, "membership.members.read", r).allow
    }
    assert allowed == singly == {"g0", "g2"}


def test_stopped_opa_is_a_deny_not_an_exception() -> None:
    proc, url = start_opa()
    with OpaClient(url, timeout_seconds=2) as c:
        assert c.decide(police(), "membership.group.read", group()).allow is True
        stop(proc)  # a real stop: the process is gone, the port refuses connections
        before = failures()
        decision = c.decide(police(), "membership.group.read", group())
        assert decision == Decision(False, (UNAVAILABLE,), None)
        assert c.allowed_ids(police(), "membership.group.read", [group()]) == frozenset()
        assert failures() == before + 2


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not done.is_set():
            try:
                conn, _ = listener.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    done.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    listener.close()


def test_timeout_is_a_deny(silent_server: str) -> None:
    before = failures()
    started = time.monotonic()
    with OpaClient(silent_server, timeout_seconds=0.3) as c:
        decision = c.decide(police(), "membership.group.read", group())
        assert c.allowed_ids(police(), "membership.group.read", [group()]) == frozenset()
    assert decision == Decision(False, (UNAVAILABLE,), None)
    assert time.monotonic() - started < 5
    assert failures() == before + 2
    assert REGISTRY.get_sample_value("snp_opa_failures_total", {"reason": "timeout"})


def test_non_200_is_a_deny(opa_url: str) -> None:
    with OpaClient(f"{opa_url}/no-such-prefix", timeout_seconds=2) as c:
        assert c.decide(police(), "membership.group.read", group()).reasons == (UNAVAILABLE,)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, b"{}"),  # undefined result
        (200, b'{"result": {"allow": "yes", "reasons": []}}'),
        (200, b'{"result": {"allow": true, "reasons": "grant"}}'),
        (200, b'{"result": ["g1"]}'),
        (200, b"not json"),
        (200, b"[]"),
        (500, b'{"result": {"allow": true, "reasons": []}}'),
    ],
)
def test_malformed_answers_are_denies(status: int, body: bytes) -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(status, content=body))
    with OpaClient("http://opa.invalid", transport=transport) as c:
        decision = c.decide(police(), "membership.group.read", group())
    assert decision == Decision(False, (UNAVAILABLE,), None)


def test_batch_never_returns_ids_it_was_not_asked_about() -> None:
    transport = httpx.MockTransport(
        lambda _: httpx.Response(200, json={"result": ["g1", "g-other"]})
    )
    with OpaClient("http://opa.invalid", transport=transport) as c:
        assert c.allowed_ids(police(), "membership.group.read", [group("g1")]) == {"g1"}
    bad = httpx.MockTransport(lambda _: httpx.Response(200, json={"result": {"allow": True}}))
    with OpaClient("http://opa.invalid", transport=bad) as c:
        assert c.allowed_ids(police(), "membership.group.read", [group("g1")]) == frozenset()


def test_unencodable_input_is_a_deny() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json={"result": {}}))
    with OpaClient("http://opa.invalid", transport=transport) as c:
        decision = c.decide(police(), "membership.group.read", {"id": object()})
    assert decision.reasons == (UNAVAILABLE,)
