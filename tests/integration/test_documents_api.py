"""Documents against the running stack: invariants 1 and 10 over real accounts, real OPA, real
PostgreSQL and Kafka, with group roles fed by membership's events through the consumer."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from snp.documents.v1 import events_pb2 as dpb
from snp_platform.eventstore import create_platform_schema
from tests.integration.documents_world import (
    Account,
    Membership,
    make_accounts,
    membership_relay,
    roles_in_documents,
)
from tests.integration.kafka_helpers import wait_until
from tests.integration.refusals import refusal_reasons

pytestmark = pytest.mark.integration
STAFF = ["police", "tenant_admin", "auditor", "operator", "area_coordinator", "partner"]
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


@pytest.fixture(scope="module")
def api(stack: Any) -> Iterator[httpx.Client]:
    http_port, _grpc = stack.ports.services["documents"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/documents", timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def membership(stack: Any) -> Iterator[Membership]:
    name = f"t_membership_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(stack.database_url, dbname=name)
    create_platform_schema(url)
    with membership_relay(stack, url) as relayed:
        yield relayed
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def world(stack: Any, membership: Membership) -> dict[str, Any]:
    tenant, other = f"force-{uuid.uuid4().hex[:6]}", f"other-{uuid.uuid4().hex[:6]}"
    people = make_accounts(
        stack,
        tenant,
        [
            ("chair", "member"),
            ("secretary", "member"),
            ("member", "member"),
            ("outsider", "member"),
            *((k, k) for k in STAFF),
        ],
    )
    people |= make_accounts(stack, other, [("foreign_chair", "member")])
    group = membership.group(tenant, people["chair"].account_id)
    membership.admit(tenant, group, people["secretary"].account_id, "secretary")
    membership.admit(tenant, group, people["member"].account_id)
    # Staff accounts "somehow" admitted to the group, even as its officers: still nothing.
    for kind in STAFF:
        membership.admit(tenant, group, people[kind].account_id, "coordinator")
    elsewhere = membership.group(tenant, people["outsider"].account_id)
    foreign = membership.group(other, people["foreign_chair"].account_id)
    last = people["area_coordinator"].account_id
    wait_until(lambda: "coordinator" in roles_in_documents(stack, group, last), 60, "projection")
    wait_until(
        lambda: "chair" in roles_in_documents(stack, foreign, people["foreign_chair"].account_id),
        60,
        "projection",
    )
    return {"tenant": tenant, "group": group, "elsewhere": elsewhere, "foreign": foreign, **people}


def upload(
    api: httpx.Client,
    who: Account,
    group: str,
    data: bytes,
    *,
    title: str = "Minutes",
    audience: str = "members",
    name: str = "minutes.pdf",
) -> httpx.Response:
    return api.post(
        f"/groups/{group}/documents",
        headers=who.headers,
        data={"title": title, "audience": audience},
        files={"file": (name, data, "application/octet-stream")},
    )


def stored(api: httpx.Client, who: Account, group: str, audience: str, marker: bytes) -> str:
    made = upload(
        api,
        who,
        group,
        PDF + marker * 50,
        audience=audience,
        title=f"Secret title {marker.decode()}",
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def counts(stack: Any) -> tuple[int, int, int]:
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM document_segments),"
            " (SELECT count(*) FROM events WHERE event_type = 'documents.DocumentStored')"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def test_a_member_reads_members_documents_but_not_officers_ones(
    stack: Any, api: httpx.Client, world: dict[str, Any]
) -> None:
    group, chair, member = world["group"], world["chair"], world["member"]
    for_members = stored(api, chair, group, "members", b"FOR-MEMBERS")
    for_officers = stored(api, chair, group, "officers", b"FOR-OFFICERS")

    listed = api.get(f"/groups/{group}/documents", headers=member.headers)
    assert listed.status_code == 200
    ids = {d["id"] for d in listed.json()["items"]}
    assert for_members in ids and for_officers not in ids
    chair_ids = {
        d["id"]
        for d in api.get(f"/groups/{group}/documents", headers=chair.headers).json()["items"]
    }
    assert {for_members, for_officers} <= chair_ids

    meta = api.get(f"/documents/{for_members}", headers=member.headers)
    assert meta.status_code == 200
    assert meta.json()["title"] == "Secret title FOR-MEMBERS"
    content = api.get(f"/documents/{for_members}/content", headers=member.headers)
    assert content.status_code == 200 and content.content == PDF + b"FOR-MEMBERS" * 50
    assert content.headers["content-type"] == "application/pdf"
    assert content.headers["content-disposition"].startswith('attachment; filename="minutes.pdf"')
    assert content.headers["x-content-type-options"] == "nosniff"
    for path in (f"/documents/{for_officers}", f"/documents/{for_officers}/content"):
        refused = api.get(path, headers=member.headers)
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        assert "audience_not_allowed" in refusal_reasons(stack, refused)


def test_staff_get_nothing_whatever_group_roles_they_hold(
    stack: Any, api: httpx.Client, world: dict[str, Any]
) -> None:
    group = world["group"]
    document = stored(api, world["chair"], group, "members", b"STAFF-NEVER")
    lists = api.post(
        f"/groups/{group}/mailing-lists",
        headers=world["chair"].headers,
        json={"name": "Everyone", "member_account_ids": [world["member"].account_id]},
    )
    assert lists.status_code == 201, lists.text
    list_id = lists.json()["id"]
    for kind in STAFF:
        who = world[kind]
        answers = [
            api.get(f"/groups/{group}/documents", headers=who.headers),
            api.get(f"/documents/{document}", headers=who.headers),
            api.get(f"/documents/{document}/content", headers=who.headers),
            api.post(
                f"/documents/{document}/forward",
                headers=who.headers,
                json={"mailing_list_id": list_id},
            ),
            upload(api, who, group, PDF + b"staff upload"),
            api.get(f"/groups/{group}/mailing-lists", headers=who.headers),
        ]
        for answer in answers:
            assert answer.status_code in (403, 404), (kind, answer.request.url, answer.text)
            assert b"STAFF-NEVER" not in answer.content
            if answer.status_code == 403 and who.tenant == world["tenant"]:
                assert "staff_kind_never_documents" in refusal_reasons(stack, answer), kind


def test_another_group_or_tenant_gets_nothing_but_an_unknown_ids_answer(
    api: httpx.Client, world: dict[str, Any]
) -> None:
    """Invariant 5: to anyone outside a group, its documents and the group itself answer
    exactly as an unknown id does, so not even a hidden group's existence leaks."""
    document = stored(api, world["chair"], world["group"], "members", b"OURS-ONLY")
    chair = world["chair"].headers
    unknown_group = api.get(f"/groups/{uuid.uuid4()}/documents", headers=chair)
    unknown_document = api.get(f"/documents/{uuid.uuid4()}", headers=chair)
    assert unknown_group.status_code == unknown_document.status_code == 404
    for who in (world["outsider"], world["foreign_chair"]):
        listed = api.get(f"/groups/{world['group']}/documents", headers=who.headers)
        assert (listed.status_code, listed.json()) == (404, unknown_group.json())
        read = api.get(f"/documents/{document}", headers=who.headers)
        assert (read.status_code, read.json()) == (404, unknown_document.json())
        got = api.get(f"/documents/{document}/content", headers=who.headers)
        assert got.status_code == 404 and b"OURS-ONLY" not in got.content
    # The foreign chair runs their own group; its documents are not ours either.
    theirs = stored(api, world["foreign_chair"], world["foreign"], "members", b"THEIRS")
    assert api.get(f"/documents/{theirs}", headers=world["chair"].headers).status_code == 404


def test_the_bytes_at_rest_and_in_events_are_not_the_plaintext(
    stack: Any, api: httpx.Client, world: dict[str, Any]
) -> None:
    marker = b"PLAINTEXT-MARKER-" + uuid.uuid4().hex.encode()
    data = PDF + marker * 8000  # several 256 KiB segments
    made = upload(api, world["chair"], world["group"], data, title=marker.decode())
    assert made.status_code == 201
    document = made.json()["id"]
    assert made.json()["sha256"] == hashlib.sha256(data).hexdigest()
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        segments = conn.execute(
            "SELECT ciphertext FROM document_segments WHERE document_id = %s", (document,)
        ).fetchall()
        row = conn.execute(
            "SELECT title, file_name FROM documents WHERE document_id = %s", (document,)
        ).fetchone()
        events = conn.execute(
            "SELECT payload FROM events WHERE stream_id = %s", (f"document:{document}",)
        ).fetchall()
    assert len(segments) >= 2 and row is not None and events
    at_rest = b"".join(bytes(s[0]) for s in segments) + bytes(row[0]) + bytes(row[1])
    assert marker[:24] not in at_rest and PDF not in at_rest  # long enough never to match by chance
    event = dpb.DocumentStored.FromString(bytes(events[0][0]))
    assert marker[:24] not in bytes(events[0][0])
    assert event.size_bytes == len(data) and event.sha256 == hashlib.sha256(data).hexdigest()
    got = api.get(f"/documents/{document}/content", headers=world["member"].headers)
    assert got.content == data


@pytest.mark.parametrize(
    ("name", "data", "fields", "status"),
    [
        ("empty.pdf", b"", {}, 422),
        ("program.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, {}, 415),
        ("linux.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 500, {}, 415),
        ("minutes.pdf", PDF + b"x", {"audience": "police"}, 422),
        ("minutes.pdf", PDF + b"x", {"title": ""}, 422),
    ],
)
def test_bad_uploads_are_refused_and_leave_nothing(
    stack: Any,
    api: httpx.Client,
    world: dict[str, Any],
    name: str,
    data: bytes,
    fields: dict[str, str],
    status: int,
) -> None:
    before = counts(stack)
    body = {"title": "Minutes", "audience": "members"} | fields
    refused = api.post(
        f"/groups/{world['group']}/documents",
        headers=world["chair"].headers,
        data=body,
        files={"file": (name, data, "application/pdf")},
    )
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert counts(stack) == before


def test_truncated_oversized_and_unauthorised_uploads_leave_nothing(
    stack: Any, api: httpx.Client, world: dict[str, Any]
) -> None:
    before = counts(stack)
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nT\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="audience"\r\n\r\nmembers\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="a.pdf"\r\n\r\n'
    ).encode()
    truncated = head + PDF + os.urandom(600_000)  # no closing boundary
    answer = api.post(
        f"/groups/{world['group']}/documents",
        content=truncated,
        headers={
            **world["chair"].headers,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert answer.status_code == 400 and "truncated" in answer.json()["detail"]
    too_big = PDF + b"\x00" * (25 * 1024 * 1024)
    assert upload(api, world["chair"], world["group"], too_big).status_code == 413
    member_upload = upload(api, world["member"], world["group"], PDF + b"member")
    assert member_upload.status_code == 403
    assert "not_an_officer" in refusal_reasons(stack, member_upload)
    assert counts(stack) == before


def test_a_large_document_streams_back_intact(api: httpx.Client, world: dict[str, Any]) -> None:
    data = PDF + os.urandom(3 * 1024 * 1024 + 17)
    made = upload(api, world["secretary"], world["group"], data, name="../../Ré union.pdf")
    assert made.status_code == 201, made.text
    assert made.json()["file_name"] == "Ré union.pdf"
    with api.stream(
        "GET", f"/documents/{made.json()['id']}/content", headers=world["member"].headers
    ) as response:
        assert response.status_code == 200
        assert int(response.headers["content-length"]) == len(data)
        assert response.headers["content-disposition"] == (
            "attachment; filename=\"Re union.pdf\"; filename*=UTF-8''R%C3%A9%20union.pdf"
        )
        received = b"".join(response.iter_bytes())
    assert received == data


def test_list_pages_with_a_cursor(api: httpx.Client, world: dict[str, Any]) -> None:
    group = world["elsewhere"]
    outsider = world["outsider"]
    made = [stored(api, outsider, group, "members", f"P{i}".encode()) for i in range(3)]
    first = api.get(f"/groups/{group}/documents", params={"limit": 2}, headers=outsider.headers)
    assert [d["id"] for d in first.json()["items"]] == made[:2]
    cursor = first.json()["next_cursor"]
    rest = api.get(
        f"/groups/{group}/documents",
        params={"limit": 2, "cursor": cursor},
        headers=outsider.headers,
    )
    assert [d["id"] for d in rest.json()["items"]] == made[2:]
    assert rest.json()["next_cursor"] is None


def test_officers_delete_documents_and_their_ciphertext(
    stack: Any, api: httpx.Client, world: dict[str, Any]
) -> None:
    document = stored(api, world["chair"], world["group"], "members", b"DELETE-ME")
    assert api.delete(f"/documents/{document}", headers=world["member"].headers).status_code == 403
    assert api.delete(f"/documents/{document}", headers=world["chair"].headers).status_code == 204
    assert api.get(f"/documents/{document}", headers=world["chair"].headers).status_code == 404
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        left = conn.execute(
            "SELECT count(*) FROM document_segments WHERE document_id = %s", (document,)
        ).fetchone()
    assert left == (0,)


def test_a_client_that_disconnects_mid_upload_leaves_nothing(
    stack: Any, world: dict[str, Any]
) -> None:
    import socket
    import time

    before = counts(stack)
    http_port, _ = stack.ports.services["documents"]
    boundary = "cut0ff"
    head = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nT\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="audience"\r\n\r\nmembers\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"'
            "\r\n\r\n"
        ).encode()
        + PDF
        + os.urandom(2 * 1024 * 1024)
    )
    request = (
        f"POST /documents/groups/{world['group']}/documents HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {world['chair'].token}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(head) + 5 * 1024 * 1024}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", http_port)) as sock:
        sock.sendall(request + head)  # then hang up, 5 MiB short
        time.sleep(1.0)
    time.sleep(1.0)
    assert counts(stack) == before
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        waiting = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state = 'idle in transaction'"
        ).fetchone()
    assert waiting == (0,)  # the upload's transaction was rolled back, not left open
