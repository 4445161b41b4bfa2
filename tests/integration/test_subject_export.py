"""A copy of all my data (subject access), against the real stack: a chair with a group, a
stored document, a mailing list, a message in her inbox and audit entries asks for her copy;
identity's relay gathers each service's part over gRPC (service-to-service); the ZIP holds one
JSON file per service with those facts and a readable summary, sealed at rest; another member,
police and a tenant admin get the 404 of an unknown export; a bad id gets a problem document;
and no service but identity may ask a service for someone's part."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import httpx
import psycopg
import pytest

from snp.v1 import subject_export_pb2 as spb
from snp.v1 import subject_export_pb2_grpc as srpc
from snp_platform.service_auth import ServiceTokenClientInterceptor, ServiceTokenSigner
from snp_stack.secrets import service_private_key
from tests.integration.documents_world import roles_in_documents
from tests.integration.group_people import a_force_of
from tests.integration.membership_people import (
    Person,
    found_group,
    identity_client,
    join,
    membership_client,
)
from tests.integration.messaging_helpers import wait_until
from tests.integration.portal_people import Account

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
GROUP = "Sycamore Road Watch"
TITLE = "Marker agenda for June"
LIST_NAME = "Marker committee"
SUBJECT = "Marker: van thefts on Sycamore Road"
NAMED = "Marker: motorbikes racing on the estate after midnight"
ANONYMOUS = "Marker: someone dealing by the garages, said anonymously"
WARD = "E05000139"
SERVICES = ["identity", "membership", "documents", "messaging", "engagement", "audit"]


@pytest.fixture(scope="module")
def identity(stack: Any) -> Iterator[httpx.Client]:
    with identity_client(stack) as client:
        yield client


@pytest.fixture(scope="module")
def force(stack: Any) -> dict[str, tuple[Account, Person]]:
    return a_force_of(
        stack,
        alice=("member", "Alice Marker-Chair"),
        bob=("member", "Bob Resident"),
        police=("police", "PC Sam Patel"),
        admin=("tenant_admin", "Ada Admin"),
    )


def _client(stack: Any, service: str) -> httpx.Client:
    port = stack.ports.services[service][0]
    return httpx.Client(base_url=f"http://127.0.0.1:{port}/{service}", timeout=30)


@pytest.fixture(scope="module")
def world(stack: Any, force: dict[str, tuple[Account, Person]]) -> dict[str, str]:
    """Alice chairs a group Bob is in, stored a document, keeps a list she is on, sent the
    group a message (so it is in her inbox), and reported to her ward team once under her name
    and once anonymously; audit holds what she did."""
    alice, bob, police = force["alice"][1], force["bob"][1], force["police"][1]
    with (
        membership_client(stack) as membership,
        _client(stack, "documents") as documents,
        _client(stack, "messaging") as messaging,
        _client(stack, "engagement") as engagement,
    ):
        group = found_group(membership, alice, name=GROUP)
        panel = {
            "group_type": "ward_panel",
            "name": "Holborn Ward Panel",
            "ward_code": WARD,
            "ward_name": "Holborn",
            "first_chair": bob.account_id,
        }
        made = membership.post("/groups", json=panel, headers=police.auth)
        assert made.status_code == 201, made.text
        join(membership, group, alice, bob)
        wait_until(
            lambda: (
                "coordinator" in roles_in_documents(stack, group, alice.account_id)
                and "member" in roles_in_documents(stack, group, bob.account_id)
            ),
            90,
            "documents to learn the group's roles",
        )
        stored = documents.post(
            f"/groups/{group}/documents",
            headers=alice.auth,
            data={"title": TITLE, "audience": "members"},
            files={"file": ("agenda.pdf", PDF + b"x" * 200, "application/pdf")},
        )
        assert stored.status_code == 201, stored.text
        listed = documents.post(
            f"/groups/{group}/mailing-lists",
            headers=alice.auth,
            json={"name": LIST_NAME, "member_account_ids": [alice.account_id]},
        )
        assert listed.status_code == 201, listed.text
        draft = {
            "subject": SUBJECT,
            "body": "Please lock your vans.",
            "type": "general",
            "priority": "normal",
            "audience": {"type": "group", "id": group},
        }

        def messaging_knows_both() -> bool:
            preview = messaging.post("/previews", json=draft, headers=alice.auth)
            return preview.status_code == 200 and preview.json()["recipients"] == 2

        wait_until(messaging_knows_both, 90, "messaging to know the group's two members")
        sent = messaging.post("/messages", json=draft, headers=alice.auth)
        assert sent.status_code == 202, sent.text
        wait_until(
            lambda: any(
                m["subject"] == SUBJECT
                for m in messaging.get("/inbox", headers=alice.auth).json()["messages"]
            ),
            90,
            "the message in Alice's inbox",
        )
        wait_until(lambda: _ward_has_panel(stack, alice.tenant), 90, "the ward panel in engagement")
        for path, what in (("/reports", NAMED), (f"/public/{alice.tenant}/reports", ANONYMOUS)):
            filed = engagement.post(path, json=_report(what), headers=alice.auth)
            assert filed.status_code == 201, filed.text
    wait_until(
        lambda: _audit_entries_by(stack, alice.account_id) > 0, 120, "audit to log Alice's acts"
    )
    return {"group": group, "document": stored.json()["id"], "message": sent.json()["id"]}


def _report(what: str) -> dict[str, Any]:
    return {
        "ward_code": WARD,
        "category": "asb",
        "what": what,
        "where": "Behind the flats",
        "postcode": "wc1n 3ls",
        "happened_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
    }


def _ward_has_panel(stack: Any, tenant: str) -> bool:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        row = conn.execute(
            "SELECT 1 FROM groups WHERE tenant = %s AND ward_code = %s", (tenant, WARD)
        ).fetchone()
    return row is not None


def _audit_entries_by(stack: Any, account_id: str) -> int:
    with psycopg.connect(stack.service_database_url("audit")) as conn:
        row = conn.execute(
            "SELECT count(*) FROM audit_entries WHERE actor = %s", (account_id,)
        ).fetchone()
    return int(row[0]) if row else 0


def _ready(identity: httpx.Client, who: Person, export_id: str) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def ready() -> bool:
        answer = identity.get(f"/me/data-exports/{export_id}", headers=who.auth)
        assert answer.status_code == 200, answer.text
        found.update(answer.json())
        return bool(found["status"] == "ready")

    wait_until(ready, 120, "the export to be assembled")
    return found


def test_a_members_copy_holds_each_services_part_and_only_she_may_read_it(
    stack: Any,
    identity: httpx.Client,
    force: dict[str, tuple[Account, Person]],
    world: dict[str, str],
) -> None:
    alice_account, alice = force["alice"]
    asked = identity.post("/me/data-exports", headers=alice.auth)
    assert asked.status_code == 202, asked.text
    export_id = asked.json()["export_id"]
    assert asked.headers["location"] == f"/identity/me/data-exports/{export_id}"
    assert asked.json()["services_total"] == len(SERVICES)
    assert _requested_events(stack, export_id) == ["identity.SubjectExportRequested"]

    done = _ready(identity, alice, export_id)
    assert done["services_done"] == done["services_total"] == len(SERVICES)
    assert done["links"]["download"] == f"/identity/me/data-exports/{export_id}/download"

    got = identity.get(f"/me/data-exports/{export_id}/download", headers=alice.auth)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "application/zip"
    assert "no-store" in got.headers["cache-control"]
    archive = zipfile.ZipFile(io.BytesIO(got.content))
    assert sorted(archive.namelist()) == sorted([f"{s}.json" for s in SERVICES] + ["summary.txt"])
    part = {s: json.loads(archive.read(f"{s}.json")) for s in SERVICES}

    record = part["identity"]
    assert (record["account_id"], record["email"]) == (alice.account_id, alice_account.email)
    assert record["display_name"] == "Alice Marker-Chair"
    raw = got.content.decode("latin-1") + json.dumps(part)
    assert "argon2" not in raw and "password_hash" not in raw and "totp_secret" not in raw

    groups = part["membership"]["groups"]
    assert [(g["group_id"], g["name"]) for g in groups] == [(world["group"], GROUP)]
    assert set(groups[0]["roles"]) == {"member", "coordinator"}
    assert [d["title"] for d in part["documents"]["documents_uploaded"]] == [TITLE]
    assert [m["name"] for m in part["documents"]["mailing_lists"]] == [LIST_NAME]
    assert SUBJECT in [m["subject"] for m in part["messaging"]["inbox"]]
    assert part["engagement"]["event_registrations"] == []
    # Her report under her name is hers to see; the anonymous one can never be linked to her.
    assert [r["what"] for r in part["engagement"]["reports"]] == [NAMED]
    assert ANONYMOUS not in raw
    entries = part["audit"]["entries"]
    assert entries and any(e["service"] == "membership" for e in entries)
    summary = archive.read("summary.txt").decode()
    assert "1 group(s) you are a member of" in summary and alice_account.email in summary

    # Nothing of Bob's, who is in her group: neither his name nor his address.
    bob_account = force["bob"][0]
    assert bob_account.email not in raw and "Bob Resident" not in raw
    # Sealed at rest: the stored bytes are not a ZIP, and the parts are gone once it is made.
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        sealed = conn.execute(
            "SELECT sealed_zip FROM subject_exports WHERE export_id = %s", (export_id,)
        ).fetchone()
        parts_left = conn.execute(
            "SELECT count(*) FROM subject_export_parts WHERE export_id = %s", (export_id,)
        ).fetchone()
    assert sealed is not None and not bytes(sealed[0]).startswith(b"PK")
    assert parts_left == (0,)
    assert _requested_events(stack, export_id) == [
        "identity.SubjectExportRequested",
        "identity.SubjectExportCompleted",
    ]

    for key in ("bob", "police", "admin"):
        other = force[key][1]
        for path in (f"/me/data-exports/{export_id}", f"/me/data-exports/{export_id}/download"):
            refused = identity.get(path, headers=other.auth)
            assert refused.status_code == 404, (key, path, refused.text)
            assert refused.headers["content-type"].startswith("application/problem+json")
        assert identity.get("/me/data-exports", headers=other.auth).json() == {"exports": []}
    listed = identity.get("/me/data-exports", headers=alice.auth).json()["exports"]
    assert [e["export_id"] for e in listed] == [export_id]
    assert identity.get(f"/me/data-exports/{export_id}").status_code == 401


def test_a_copy_past_its_time_is_forgotten_with_an_event_and_answers_410(
    stack: Any, identity: httpx.Client, force: dict[str, tuple[Account, Person]]
) -> None:
    bob = force["bob"][1]
    export_id = identity.post("/me/data-exports", headers=bob.auth).json()["export_id"]
    _ready(identity, bob, export_id)
    assert identity.get(f"/me/data-exports/{export_id}/download", headers=bob.auth).is_success
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        conn.execute(  # as if its seven days had passed
            "UPDATE subject_exports SET expires_at = now() - interval '1 second'"
            " WHERE export_id = %s",
            (export_id,),
        )

    def expired() -> bool:
        answer = identity.get(f"/me/data-exports/{export_id}", headers=bob.auth)
        return bool(answer.json()["status"] == "expired")

    wait_until(expired, 30, "the relay to expire the copy")
    gone = identity.get(f"/me/data-exports/{export_id}/download", headers=bob.auth)
    assert gone.status_code == 410, gone.text
    assert gone.json()["type"].endswith("export-expired")
    assert _requested_events(stack, export_id) == [
        "identity.SubjectExportRequested",
        "identity.SubjectExportCompleted",
        "identity.SubjectExportExpired",
    ]
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        stored = conn.execute(
            "SELECT sealed_zip IS NULL AND zip_salt IS NULL FROM subject_exports"
            " WHERE export_id = %s",
            (export_id,),
        ).fetchone()
    assert stored == (True,)


def test_a_bad_or_unknown_export_id_is_a_problem_and_changes_nothing(
    stack: Any, identity: httpx.Client, force: dict[str, tuple[Account, Person]]
) -> None:
    bob = force["bob"][1]
    before = _export_count(stack)
    bad = identity.get("/me/data-exports/not-an-id", headers=bob.auth)
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    unknown = identity.get(
        "/me/data-exports/00000000-0000-4000-8000-000000000000/download", headers=bob.auth
    )
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No such data export."
    assert _export_count(stack) == before


def test_only_identity_may_ask_a_service_for_someones_part(
    stack: Any, force: dict[str, tuple[Account, Person]]
) -> None:
    alice = force["alice"][1]
    request = spb.ExportSubjectRequest(tenant=alice.tenant, account_id=alice.account_id)
    _http, port = stack.ports.services["membership"]
    anonymous = grpc.insecure_channel(f"127.0.0.1:{port}")
    with anonymous:
        with pytest.raises(grpc.RpcError) as refused:
            srpc.SubjectExportStub(anonymous).ExportSubject(request, timeout=10)
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    signer = ServiceTokenSigner("messaging", service_private_key(stack.state_dir, "messaging"))
    as_messaging = grpc.intercept_channel(
        grpc.insecure_channel(f"127.0.0.1:{port}"),
        ServiceTokenClientInterceptor(signer, "membership"),
    )
    with as_messaging:
        with pytest.raises(grpc.RpcError) as refused:
            srpc.SubjectExportStub(as_messaging).ExportSubject(request, timeout=10)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    signer = ServiceTokenSigner("identity", service_private_key(stack.state_dir, "identity"))
    as_identity = grpc.intercept_channel(
        grpc.insecure_channel(f"127.0.0.1:{port}"),
        ServiceTokenClientInterceptor(signer, "membership"),
    )
    with as_identity:
        elsewhere = spb.ExportSubjectRequest(tenant="another-force", account_id=alice.account_id)
        answer = srpc.SubjectExportStub(as_identity).ExportSubject(elsewhere, timeout=10)
    assert json.loads(answer.json) == {"groups": [], "join_requests": []}


def _requested_events(stack: Any, export_id: str) -> list[str]:
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        rows = conn.execute(
            "SELECT event_type FROM events WHERE stream_id = %s ORDER BY stream_version",
            (f"subject-export:{export_id}",),
        ).fetchall()
    return [r[0] for r in rows]


def _export_count(stack: Any) -> int:
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        row = conn.execute("SELECT count(*) FROM subject_exports").fetchone()
    return int(row[0]) if row else 0
