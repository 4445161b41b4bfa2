"""Documents over time: officers stood down, members leaving lists, forwarding, KEK rotation,
and what a wrong key or tampered ciphertext gets (never the bytes)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

from snp.documents.v1 import events_pb2 as dpb
from snp.membership.v1 import events_pb2 as mpb
from snp_documents.adapters.group_keys import GroupKeys
from snp_documents.adapters.sealing import DecryptionFailed
from snp_documents.service_layer import reading
from snp_documents.service_layer.context import DocumentsContext
from snp_platform.eventstore import create_platform_schema
from snp_platform.keywrap import ConfiguredKeks, UnwrapFailed, generate_config
from snp_platform.opa import OpaClient
from snp_platform.tokens import Principal
from tests.integration.documents_world import (
    Membership,
    make_accounts,
    membership_relay,
    roles_in_documents,
)
from tests.integration.kafka_helpers import wait_until

pytestmark = pytest.mark.integration
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
    tenant = f"force-{uuid.uuid4().hex[:6]}"
    people = make_accounts(
        stack,
        tenant,
        [("chair", "member"), ("secretary", "member"), ("member", "member"), ("friend", "member")],
    )
    group = membership.group(tenant, people["chair"].account_id)
    membership.admit(tenant, group, people["secretary"].account_id, "secretary")
    membership.admit(tenant, group, people["member"].account_id)
    membership.admit(tenant, group, people["friend"].account_id)
    friend = people["friend"].account_id
    wait_until(lambda: "member" in roles_in_documents(stack, group, friend), 60, "projection")
    return {"tenant": tenant, "group": group, **people}


def upload(api: httpx.Client, who: Any, group: str, data: bytes, audience: str) -> httpx.Response:
    return api.post(
        f"/groups/{group}/documents",
        headers=who.headers,
        data={"title": "Rota", "audience": audience},
        files={"file": ("rota.pdf", data, "application/pdf")},
    )


def documents_events(stack: Any, event_type: str) -> list[bytes]:
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        rows = conn.execute(
            "SELECT payload FROM events WHERE event_type = %s ORDER BY position", (event_type,)
        ).fetchall()
    return [bytes(r[0]) for r in rows]


def test_forwarding_records_ids_and_the_sealed_title_only(
    stack: Any, api: httpx.Client, world: dict[str, Any]
) -> None:
    group, chair = world["group"], world["chair"]
    document = upload(api, chair, group, PDF + b"FORWARDED-BODY" * 10, "members").json()["id"]
    recipients = sorted([world["member"].account_id, world["friend"].account_id])
    made = api.post(
        f"/groups/{group}/mailing-lists",
        headers=chair.headers,
        json={"name": "Street reps", "member_account_ids": recipients},
    )
    assert made.status_code == 201, made.text
    stranger = api.post(
        f"/groups/{group}/mailing-lists",
        headers=chair.headers,
        json={"name": "Bad", "member_account_ids": [str(uuid.uuid4())]},
    )
    assert stranger.status_code == 422  # not a current member of the group
    assert (
        api.post(
            f"/documents/{document}/forward",
            headers=world["member"].headers,
            json={"mailing_list_id": made.json()["id"]},
        ).status_code
        == 403
    )
    forwarded = api.post(
        f"/documents/{document}/forward",
        headers=chair.headers,
        json={"mailing_list_id": made.json()["id"]},
    )
    assert forwarded.status_code == 202, forwarded.text
    assert forwarded.json()["recipient_account_ids"] == recipients
    payload = documents_events(stack, "documents.DocumentForwarded")[-1]
    event = dpb.DocumentForwarded.FromString(payload)
    assert (event.document_id, event.group_id) == (document, group)
    assert event.mailing_list_id == made.json()["id"]
    assert sorted(event.recipient_account_ids) == recipients
    assert b"FORWARDED-BODY" not in payload and b"Rota" not in payload
    assert event.title.ciphertext and b"Rota" not in event.title.ciphertext

    # An officers' document to a list of members: they could not open it, so it is refused.
    secret = upload(api, chair, group, PDF + b"OFFICERS-ONLY" * 10, "officers").json()["id"]
    refused = api.post(
        f"/documents/{secret}/forward",
        headers=chair.headers,
        json={"mailing_list_id": made.json()["id"]},
    )
    assert refused.status_code == 422 and "may not read" in refused.json()["detail"]
    officers = api.post(
        f"/groups/{group}/mailing-lists",
        headers=chair.headers,
        json={"name": "Officers", "member_account_ids": [chair.account_id]},
    )
    ok = api.post(
        f"/documents/{secret}/forward",
        headers=chair.headers,
        json={"mailing_list_id": officers.json()["id"]},
    )
    assert ok.status_code == 202, ok.text


def test_an_officer_stood_down_loses_access_when_the_event_is_applied(
    stack: Any, api: httpx.Client, world: dict[str, Any], membership: Membership
) -> None:
    group, secretary = world["group"], world["secretary"]
    officers_only = upload(api, world["chair"], group, PDF + b"OFFICERS", "officers")
    document = officers_only.json()["id"]
    assert api.get(f"/documents/{document}", headers=secretary.headers).status_code == 200
    assert upload(api, secretary, group, PDF + b"by secretary", "members").status_code == 201
    ref = membership.ref(world["tenant"], group)
    membership.record(
        world["tenant"],
        group,
        mpb.OfficerStoodDown(
            group=ref, account_id=secretary.account_id, role="secretary", reason="stood_down"
        ),
    )
    wait_until(
        lambda: roles_in_documents(stack, group, secretary.account_id) == {"member"},
        60,
        "stand-down applied",
    )
    assert api.get(f"/documents/{document}", headers=secretary.headers).status_code == 403
    assert upload(api, secretary, group, PDF + b"again", "members").status_code == 403


def test_a_member_who_leaves_the_group_leaves_its_lists(
    stack: Any, api: httpx.Client, world: dict[str, Any], membership: Membership
) -> None:
    group, chair, friend = world["group"], world["chair"], world["friend"]
    made = api.post(
        f"/groups/{group}/mailing-lists",
        headers=chair.headers,
        json={"name": "Friends", "member_account_ids": [friend.account_id]},
    )
    assert made.status_code == 201
    membership.record(
        world["tenant"],
        group,
        mpb.MemberLeft(
            group=membership.ref(world["tenant"], group),
            account_id=friend.account_id,
            reason="left",
        ),
    )
    wait_until(lambda: not roles_in_documents(stack, group, friend.account_id), 60, "leave")
    lists = api.get(f"/groups/{group}/mailing-lists", headers=chair.headers).json()["items"]
    assert all(friend.account_id not in entry["member_account_ids"] for entry in lists)
    removed = [
        dpb.MailingListMemberRemoved.FromString(p)
        for p in documents_events(stack, "documents.MailingListMemberRemoved")
    ]
    assert any(
        e.account_id == friend.account_id and e.mailing_list_id == made.json()["id"]
        for e in removed
    )
    # Gone from the group: its documents answer them as an unknown group's would.
    assert api.get(f"/groups/{group}/documents", headers=friend.headers).status_code == 404
    list_id = made.json()["id"]
    path = f"/groups/{group}/mailing-lists/{list_id}"
    assert api.delete(path, headers=world["member"].headers).status_code == 403
    assert api.delete(path, headers=chair.headers).status_code == 204
    assert api.delete(path, headers=chair.headers).status_code == 409
    lists = api.get(f"/groups/{group}/mailing-lists", headers=chair.headers).json()["items"]
    assert list_id not in {entry["id"] for entry in lists}


def _context(stack: Any, pool: ConnectionPool[Any], keks: str) -> DocumentsContext:
    return DocumentsContext(
        pool=pool,
        keys=GroupKeys(pool, ConfiguredKeks.from_config(keks)),
        opa=OpaClient(stack.opa_url),
        max_document_bytes=25 << 20,
        segment_bytes=256 << 10,
    )


def _principal(account: Any) -> Principal:
    now = datetime.now(UTC)
    return Principal(
        account_id=account.account_id,
        tenant=account.tenant,
        kind=account.kind,
        amr=("pwd", "otp"),
        jti="test",
        expires_at=now,
        issued_at=now,
    )


def _rotate(stack: Any, keks: str) -> str:
    env = {**os.environ, **stack.service_env("documents"), "SNP_DOCUMENT_KEKS": keks}
    done = subprocess.run(
        ["snp-documents", "rotate-keys"], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_after_a_kek_rotation_every_document_still_decrypts(
    stack: Any, api: httpx.Client, world: dict[str, Any]
) -> None:
    data = PDF + os.urandom(700_000)
    document = upload(api, world["chair"], world["group"], data, "members").json()["id"]
    configured = stack.service_env("documents")["SNP_DOCUMENT_KEKS"]
    old_entry = configured.split(";")[0]
    new_entry = generate_config("rotated").split(";")[0]
    try:
        printed = _rotate(stack, f"{old_entry},{new_entry};active=rotated")
        assert "under KEK rotated" in printed
        with psycopg.connect(stack.service_database_url("documents")) as conn:
            kinds = {r[0] for r in conn.execute("SELECT DISTINCT kek_id FROM group_keys")}
        assert kinds == {"rotated"}
        # Only the new KEK configured: the re-wrapped keys open every document unchanged.
        with ConnectionPool(
            stack.service_database_url("documents"), min_size=1, max_size=3
        ) as pool:
            ctx = _context(stack, pool, f"{new_entry};active=rotated")
            got = reading.download(ctx, _principal(world["member"]), document)
            assert b"".join(got.chunks) == data
            # A wrong KEK under the same id is refused before any byte.
            wrong = _context(stack, pool, generate_config("rotated"))
            with pytest.raises(UnwrapFailed):
                reading.download(wrong, _principal(world["member"]), document)
    finally:
        # Back under the stack's KEK, for the running API and the other tests.
        _rotate(stack, f"{old_entry},{new_entry};active={configured.split('active=')[1]}")
    assert (
        api.get(f"/documents/{document}/content", headers=world["member"].headers).content == data
    )


def _tamper(stack: Any, document: str, index: int) -> None:
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        conn.execute(
            "UPDATE document_segments SET ciphertext = overlay(ciphertext placing"
            " decode(lpad(to_hex(get_byte(ciphertext, 40) # 1), 2, '0'), 'hex') from 41)"
            " WHERE document_id = %s AND index = %s",
            (document, index),
        )


def test_tampered_ciphertext_is_refused_never_served(
    stack: Any, api: httpx.Client, world: dict[str, Any]
) -> None:
    member = world["member"]
    first = upload(api, world["chair"], world["group"], PDF + b"A" * 1000, "members")
    _tamper(stack, first.json()["id"], 0)
    refused = api.get(f"/documents/{first.json()['id']}/content", headers=member.headers)
    assert refused.status_code == 500
    assert refused.json()["type"] == "urn:snp:problem:document-integrity"
    assert b"AAAA" not in refused.content

    data = PDF + os.urandom(800_000)  # four segments; the third is tampered
    later = upload(api, world["chair"], world["group"], data, "members").json()["id"]
    _tamper(stack, later, 2)
    received = bytearray()

    def read_it() -> None:
        with api.stream("GET", f"/documents/{later}/content", headers=member.headers) as got:
            for chunk in got.iter_bytes():
                received.extend(chunk)

    with pytest.raises(httpx.HTTPError):
        read_it()
    # What arrived is the authenticated prefix only: never the tampered segment's bytes.
    assert len(received) <= 2 * 256 * 1024 and data.startswith(received)
    with ConnectionPool(stack.service_database_url("documents"), min_size=1, max_size=2) as pool:
        ctx = _context(stack, pool, stack.service_env("documents")["SNP_DOCUMENT_KEKS"])
        with pytest.raises(DecryptionFailed):
            b"".join(reading.download(ctx, _principal(member), later).chunks)


def test_the_group_roles_projection_rebuilds_from_kafka(
    stack: Any, world: dict[str, Any], database_url: str
) -> None:
    from snp_documents.adapters.projections import group_roles_projection
    from snp_documents.adapters.schema import create_documents_schema
    from snp_platform.projections import rebuild_from_kafka
    from snp_platform.topics import events_topic

    create_documents_schema(database_url)
    group = world["group"]
    with ConnectionPool(database_url, min_size=1, max_size=3) as pool:
        topics = [events_topic("membership")]
        applied = rebuild_from_kafka(pool, stack.kafka_bootstrap, group_roles_projection(), topics)
        assert applied > 0
        with pool.connection() as conn:
            rebuilt = set(
                conn.execute(
                    "SELECT account_id, role FROM group_roles WHERE group_id = %s", (group,)
                ).fetchall()
            )
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        live = set(
            conn.execute(
                "SELECT account_id, role FROM group_roles WHERE group_id = %s", (group,)
            ).fetchall()
        )
    assert rebuilt == live
    assert (world["chair"].account_id, "chair") in rebuilt
