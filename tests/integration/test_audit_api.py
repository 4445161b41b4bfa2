"""Auditors over REST and gRPC against the running stack: their own tenant's log only, searched,
paged, exported with proofs that verify offline; police and operators refused."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import grpc
import httpx
import psycopg
import pytest

from snp.audit.v1 import export_pb2 as pb
from snp.audit.v1 import export_pb2_grpc as rpc
from snp_audit.adapters import log_store
from snp_audit.adapters.signing import CheckpointVerifier
from snp_audit.domain.checkpoints import Checkpoint, unb64
from snp_audit.domain.entries import Record
from snp_audit.domain.merkle import leaf_hash, verify_consistency, verify_inclusion
from tests.integration.audit_helpers import (
    create_staff,
    identity_client,
    new_force,
    operator_token,
    staff_token,
)
from tests.integration.kafka_helpers import wait_until
from tests.integration.refusals import refusal_reasons
from tests.integration.test_identity_api import bearer, sign_in

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def people(stack: Any) -> Iterator[dict[str, Any]]:
    with identity_client(stack) as identity:
        operator = operator_token(stack, identity)
        tenant_a, admin_a = new_force(identity, operator)
        tenant_b, admin_b = new_force(identity, operator)
        auditor_no_mfa = create_staff(identity, admin_a, "auditor", tenant_a)
        yield {
            "identity": identity,
            "operator": operator,
            "a": tenant_a,
            "b": tenant_b,
            "admin_a": admin_a,
            "auditor_a": staff_token(identity, admin_a, tenant_a, "auditor"),
            "auditor_b": staff_token(identity, admin_b, tenant_b, "auditor"),
            "police_a": staff_token(identity, admin_a, tenant_a, "police"),
            "auditor_no_mfa": sign_in(identity, tenant_a, auditor_no_mfa).json()["access_token"],
        }


@pytest.fixture(scope="module")
def audit(stack: Any) -> Iterator[httpx.Client]:
    http_port, _grpc = stack.ports.services["audit"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/audit", timeout=60) as client:
        yield client


def run_audit_cli(stack: Any, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **stack.service_env("audit")}
    return subprocess.run(
        ["snp-audit", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def all_entries(audit: httpx.Client, token: str, **filters: Any) -> list[dict[str, Any]]:
    """Every page, following the cursor."""
    found: list[dict[str, Any]] = []
    cursor = -1
    while True:
        page = audit.get("/events", headers=bearer(token), params=filters | {"cursor": cursor})
        assert page.status_code == 200, page.text
        found += page.json()["entries"]
        if page.json()["next_cursor"] is None:
            return found
        cursor = page.json()["next_cursor"]


def account_events_logged(audit: httpx.Client, token: str, tenant: str) -> None:
    """Identity's events of the tenant reach the log through Kafka in a moment."""
    wait_until(
        lambda: any(
            e["entry"]["service"] == "identity"
            for e in all_entries(audit, token, source="event", limit=500)
        ),
        timeout=60,
        what=f"identity's events of {tenant}",
    )


def test_an_auditor_searches_their_own_tenants_log_by_filter_and_cursor(
    audit: httpx.Client, people: dict[str, Any]
) -> None:
    token, tenant = people["auditor_a"], people["a"]
    account_events_logged(audit, token, tenant)
    everything = all_entries(audit, token, limit=500)
    assert everything and {e["entry"]["tenant"] for e in everything} == {tenant}
    assert [e["index"] for e in everything] == sorted({e["index"] for e in everything})
    paged = all_entries(audit, token, limit=2)
    # Paging sees the same entries in the same order (plus any logged meanwhile: reads are
    # decisions, and decisions are entries).
    assert [e["index"] for e in paged][: len(everything)] == [e["index"] for e in everything]
    assert len({e["index"] for e in paged}) == len(paged)
    events = all_entries(audit, token, source="event", service="identity")
    assert events and all(e["entry"]["source"] == "event" for e in events)
    some = events[0]["entry"]
    by_subject = all_entries(audit, token, subject=some["subject"])
    assert by_subject and some["ref"] in {e["entry"]["ref"] for e in by_subject}
    assert all(e["entry"]["subject"] == some["subject"] for e in by_subject)
    by_type = all_entries(audit, token, type=some["type"], actor=some["actor"])
    assert some["ref"] in {e["entry"]["ref"] for e in by_type}
    assert all(e["entry"]["type"] == some["type"] for e in by_type)
    later = all_entries(audit, token, since="2999-01-01T00:00:00Z")
    earlier = all_entries(audit, token, until="2000-01-01T00:00:00Z")
    assert later == [] and earlier == []
    # The auditor's own reads are decisions in the log too (OPA sends them within seconds).
    wait_until(
        lambda: bool(all_entries(audit, token, source="decision", type="audit.events.read")),
        timeout=30,
        what="the auditor's own reads in the log",
    )
    decisions = all_entries(audit, token, source="decision", type="audit.events.read")
    assert all(e["entry"]["attrs"]["allow"] for e in decisions)
    assert all(e["entry"]["actor"] == decisions[0]["entry"]["actor"] for e in decisions)
    bad = audit.get("/events", headers=bearer(token), params={"limit": 0})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_subjects_have_one_style_and_search_matches_the_older_bare_form_too(
    audit: httpx.Client, people: dict[str, Any], stack: Any
) -> None:
    token, tenant = people["auditor_a"], people["a"]
    account_events_logged(audit, token, tenant)
    identity_events = all_entries(audit, token, source="event", service="identity")
    subjects = [e["entry"]["subject"] for e in identity_events]
    account = next(s for s in subjects if s.startswith("account:"))
    bare = account.removeprefix("account:")
    # An auditor types the id they were given: the account's events are found by it.
    by_bare_id = all_entries(audit, token, subject=bare)
    assert account in {e["entry"]["subject"] for e in by_bare_id}
    # An entry logged before the one style, with a bare group id, as membership's were.
    group = f"legacy-{uuid.uuid4()}"
    occurred = datetime.now(UTC)
    with psycopg.connect(stack.service_database_url("audit")) as conn:
        for subject, ref in ((group, "old"), (f"group:{group}", "new")):
            record = Record(tenant, "event", "membership", "membership.GroupCreated",
                            f"{ref}-{group}", "someone", subject, occurred)  # fmt: skip
            assert log_store.append(conn, record) is not None
    for query in (group, f"group:{group}"):
        found = {e["entry"]["ref"] for e in all_entries(audit, token, subject=query)}
        assert found == {f"old-{group}", f"new-{group}"}, query
    # A typed search keeps to its kind: another kind's entries of the same id are not found.
    found = {e["entry"]["ref"] for e in all_entries(audit, token, subject=f"document:{group}")}
    assert found == {f"old-{group}"}


def test_decisions_are_searched_by_their_answer(
    audit: httpx.Client, people: dict[str, Any]
) -> None:
    token = people["auditor_a"]
    police = people["police_a"]
    assert audit.get("/events", headers=bearer(police)).status_code == 403  # a refusal, logged
    wait_until(
        lambda: bool(all_entries(audit, token, source="decision", allowed="false")),
        timeout=30,
        what="a refused decision in the log",
    )
    refused = all_entries(audit, token, allowed="false")
    allowed = all_entries(audit, token, allowed="true", type="audit.events.read")
    assert refused and all(e["entry"]["attrs"]["allow"] is False for e in refused)
    assert {e["entry"]["source"] for e in refused} == {"decision"}
    assert "audit.events.read" in {e["entry"]["type"] for e in refused}
    assert allowed and all(e["entry"]["attrs"]["allow"] is True for e in allowed)


def test_the_checkpoints_show_the_log_growing_newest_first(
    audit: httpx.Client, people: dict[str, Any], stack: Any
) -> None:
    token = people["auditor_a"]
    account_events_logged(audit, token, people["a"])
    assert run_audit_cli(stack, "sign-checkpoints").returncode == 0
    audit.get("/events", headers=bearer(token))  # a decision: the log grows again
    wait_until(
        lambda: (
            run_audit_cli(stack, "sign-checkpoints").returncode == 0
            and len(audit.get("/checkpoints", headers=bearer(token)).json()["checkpoints"]) >= 2
        ),
        timeout=30,
        what="two checkpoints",
    )
    listed = audit.get("/checkpoints", headers=bearer(token)).json()["checkpoints"]
    sizes = [c["tree_size"] for c in listed]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(sizes)
    # The api keeps signing while the auditor's own reads grow the log: only ever larger.
    latest = audit.get("/checkpoints/latest", headers=bearer(token)).json()
    assert latest["tree_size"] >= sizes[0] and {c["tenant"] for c in listed} == {people["a"]}
    page = audit.get("/checkpoints", headers=bearer(token), params={"limit": 1}).json()
    (top,) = page["checkpoints"]
    older = audit.get(
        "/checkpoints", headers=bearer(token), params={"below": page["next_below"]}
    ).json()["checkpoints"]
    assert top["tree_size"] >= sizes[0] and page["next_below"] == top["tree_size"]
    expected = [c for c in listed if c["tree_size"] < top["tree_size"]]
    assert expected and older[: len(expected)] == expected
    refused = audit.get("/checkpoints", headers=bearer(people["police_a"]))
    assert refused.status_code == 403


def test_an_auditor_of_one_tenant_sees_nothing_of_another(
    audit: httpx.Client, people: dict[str, Any], stack: Any
) -> None:
    account_events_logged(audit, people["auditor_a"], people["a"])
    account_events_logged(audit, people["auditor_b"], people["b"])
    # A's accounts and streams (decisions on a not-yet-made account share the id "new").
    a_entries = all_entries(audit, people["auditor_a"], source="event")
    a_subjects = {e["entry"]["subject"] for e in a_entries}
    # A's own accounts that acted (the operator who made both forces' admins acted in both).
    a_actors = {
        e["entry"]["actor"] for e in a_entries if f"account:{e['entry']['actor']}" in a_subjects
    }
    seen_by_b = all_entries(audit, people["auditor_b"], limit=500)
    assert seen_by_b and {e["entry"]["tenant"] for e in seen_by_b} == {people["b"]}
    assert a_subjects and a_actors
    for subject in a_subjects:
        assert all_entries(audit, people["auditor_b"], subject=subject) == []
    for actor in a_actors:
        assert all_entries(audit, people["auditor_b"], actor=actor) == []
    assert run_audit_cli(stack, "sign-checkpoints").returncode == 0
    mine = audit.get("/checkpoints/latest", headers=bearer(people["auditor_b"])).json()
    assert mine["tenant"] == people["b"]
    exported = audit.get("/export", headers=bearer(people["auditor_b"])).text
    assert people["a"] not in exported


@pytest.mark.parametrize("who", ["police_a", "operator", "admin_a", "auditor_no_mfa"])
def test_everyone_but_an_auditor_with_mfa_is_refused(
    stack: Any, audit: httpx.Client, people: dict[str, Any], who: str
) -> None:
    token = people[who]
    for path in ("/events", "/export", "/checkpoints/latest", "/proofs/inclusion?index=0"):
        refused = audit.get(path, headers=bearer(token))
        assert refused.status_code == 403, (path, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
    reasons = refusal_reasons(stack, audit.get("/events", headers=bearer(token)))
    expected = "mfa_required" if who == "auditor_no_mfa" else "action_not_allowed_for_kind"
    assert expected in reasons
    assert audit.get("/events").status_code == 401


def test_an_export_verifies_offline_with_the_published_key_and_the_log_only_grows(
    audit: httpx.Client, people: dict[str, Any], stack: Any, tmp_path: Path
) -> None:
    token = people["auditor_a"]
    account_events_logged(audit, token, people["a"])
    published = audit.get("/public-key").json()
    from_cli = run_audit_cli(stack, "public-key").stdout.strip()
    assert published["public_key"] == from_cli and published["algorithm"] == "Ed25519"
    key_file = tmp_path / "audit.pub"
    key_file.write_text(from_cli)

    assert run_audit_cli(stack, "sign-checkpoints").returncode == 0
    first = audit.get("/checkpoints/latest", headers=bearer(token)).json()
    assert CheckpointVerifier.from_text(str(key_file))(Checkpoint.from_json(first))
    kept = tmp_path / "checkpoint.json"
    kept.write_text(json.dumps(first))
    export = tmp_path / "export.ndjson"
    export.write_text(audit.get("/export", headers=bearer(token)).text)
    ok = run_audit_cli(stack, "verify", str(export), "--public-key", str(key_file))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"tree size {first['tree_size']}" in ok.stdout

    # More happens (the reads above are decisions too); a later export proves the log only grew.
    audit.get("/events", headers=bearer(token))

    def newer_checkpoint() -> bool:
        # Signed by this command or by the api's own signer, whichever comes first.
        run_audit_cli(stack, "sign-checkpoints")
        latest = audit.get("/checkpoints/latest", headers=bearer(token)).json()
        return int(latest["tree_size"]) > int(first["tree_size"])

    wait_until(newer_checkpoint, timeout=60, what="a newer checkpoint")
    later = tmp_path / "later.ndjson"
    later.write_text(
        audit.get(
            "/export", headers=bearer(token), params={"from": 1, "since": first["tree_size"]}
        ).text
    )
    args = ["verify", str(later), "--public-key", from_cli, "--previous-checkpoint", str(kept)]
    grown = run_audit_cli(stack, *args)
    assert grown.returncode == 0 and "consistent with your earlier checkpoint" in grown.stdout

    # The proofs the API hands out check against the signed roots.
    latest = Checkpoint.from_json(audit.get("/checkpoints/latest", headers=bearer(token)).json())
    proof = audit.get("/proofs/inclusion", headers=bearer(token), params={"index": 0}).json()
    path = [unb64(h) for h in proof["path"]]
    leaf = leaf_hash(proof["entry"].encode())
    verify_inclusion(0, latest.tree_size, leaf, path, latest.root_hash)
    grew = audit.get(
        "/proofs/consistency", headers=bearer(token), params={"first": first["tree_size"]}
    ).json()
    verify_consistency(
        first["tree_size"],
        latest.tree_size,
        unb64(first["root_hash"]),
        latest.root_hash,
        [unb64(h) for h in grew["path"]],
    )
    # A tampered copy of the export does not verify.
    lines = export.read_text().splitlines()
    lines[2] = lines[2].replace(people["a"], "another-force", 1)
    export.write_text("\n".join(lines) + "\n")
    bad = run_audit_cli(stack, "verify", str(export), "--public-key", from_cli)
    assert bad.returncode == 1 and "FAILED entry" in bad.stdout


def test_the_grpc_export_streams_the_same_lines_to_auditors_only(
    audit: httpx.Client, people: dict[str, Any], stack: Any
) -> None:
    token = people["auditor_a"]
    account_events_logged(audit, token, people["a"])
    assert run_audit_cli(stack, "sign-checkpoints").returncode == 0
    _http, grpc_port = stack.ports.services["audit"]
    with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel:
        stub = rpc.AuditExportStub(channel)
        lines = [
            line.json
            for line in stub.Export(
                pb.ExportRequest(), metadata=[("authorization", f"Bearer {token}")], timeout=60
            )
        ]
        over_rest = audit.get("/export", headers=bearer(token)).text.splitlines()
        assert json.loads(lines[0])["tenant"] == people["a"]
        tree_size = json.loads(lines[0])["tree_size"]
        if json.loads(over_rest[0])["tree_size"] == tree_size:
            assert lines == over_rest
        for who, code in (
            (people["police_a"], grpc.StatusCode.PERMISSION_DENIED),
            ("not-a-token", grpc.StatusCode.UNAUTHENTICATED),
        ):
            with pytest.raises(grpc.RpcError) as refused:
                list(stub.Export(pb.ExportRequest(), metadata=[("authorization", f"Bearer {who}")]))
            assert refused.value.code() == code


def test_operators_see_ingestion_health_but_no_entries(
    audit: httpx.Client, people: dict[str, Any]
) -> None:
    account_events_logged(audit, people["auditor_a"], people["a"])
    health = audit.get("/health", headers=bearer(people["operator"]))
    assert health.status_code == 200, health.text
    report = health.json()
    assert "snp.identity.events" in report["lag"] and report["lag"]["snp.identity.events"] >= 0
    assert report["tenants"][people["a"]]["entries"] > 0
    assert report["tampered"] == []
    assert "entry" not in health.text and "actor" not in health.text
    refused = audit.get("/health", headers=bearer(people["auditor_a"]))
    assert refused.status_code == 403
