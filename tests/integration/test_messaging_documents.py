"""Police admin-panel attachments (owned by messaging, size-limited, sent with the mail) and
documents' DocumentForwarded turned into notifications with a link that needs sign-in."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from snp.documents.v1 import events_pb2 as documents
from snp_messaging.adapters.attachment_sealing import AttachmentSeal, SealedAttachment
from snp_messaging.adapters.message_attachments import seal_plaintext_rows
from snp_platform.eventstore import create_platform_schema
from tests.integration.messaging_helpers import (
    EventPublisher,
    bearer,
    body_text,
    mails_to,
    member_token,
    wait_until,
)
from tests.integration.test_messaging_api import (  # the module's fixtures, shared
    force,
    identity,
    membership_events,
    message_count,
    messaging,
    wait_for_final,
)

__all__ = ["force", "identity", "membership_events", "messaging"]
pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n% a ward panel briefing\n" + b"0" * 2048


@pytest.fixture(scope="module")
def documents_events(stack: Any) -> Iterator[EventPublisher]:
    name = f"t_documents_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(stack.database_url, dbname=name)
    create_platform_schema(url)
    publisher = EventPublisher(url, stack.kafka_bootstrap, "documents")
    yield publisher
    publisher.close()


def upload(
    messaging: httpx.Client, token: str, content: bytes, name: str = "briefing.pdf"
) -> httpx.Response:
    return messaging.post(
        "/attachments",
        headers=bearer(token),
        files={"file": (name, content, "application/octet-stream")},
    )


def test_police_attach_a_document_that_recipients_receive_and_open(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    made, people = force["force"], force["people"]
    police = made.police.token
    stored = upload(messaging, police, PDF, "../Ward briefing.pdf")
    assert stored.status_code == 201, stored.text
    attachment = stored.json()
    assert (attachment["filename"], attachment["content_type"]) == (
        "Ward briefing.pdf",
        "application/pdf",
    )
    # At rest the content is sealed under a key of its own, kept only wrapped by the KEK.
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        row = conn.execute(
            "SELECT content, wrapped_key FROM attachments WHERE attachment_id = %s",
            (attachment["id"],),
        ).fetchone()
    assert row is not None and row[1] is not None
    assert b"ward panel briefing" not in bytes(row[0]) and b"%PDF" not in bytes(row[0])
    sent = messaging.post(
        "/messages",
        headers=bearer(police),
        json={
            "subject": "Ward panel briefing",
            "body": "Attached: this month's briefing.",
            "type": "ward_panel_business",
            "audience": {"type": "group", "id": force["elm"]},
            "attachment_ids": [attachment["id"]],
        },
    )
    assert sent.status_code == 202, sent.text
    wait_for_final(messaging, police, sent.json()["id"], 4)
    mail = next(
        m
        for m in mails_to(stack.maildir, people["ann"].email)
        if m["Subject"] == "Ward panel briefing"
    )
    files = list(mail.iter_attachments())
    assert [(f.get_filename(), f.get_content()) for f in files] == [("Ward briefing.pdf", PDF)]
    ann = member_token(identity, made, people["ann"])
    opened = messaging.get(f"/attachments/{attachment['id']}", headers=bearer(ann))
    assert opened.status_code == 200 and opened.content == PDF
    assert opened.headers["content-type"] == "application/pdf"
    dan = member_token(identity, made, people["dan"])  # not a recipient
    assert messaging.get(f"/attachments/{attachment['id']}", headers=bearer(dan)).status_code == 403
    # An attachment goes with one message only.
    again = messaging.post(
        "/messages",
        headers=bearer(police),
        json={
            "subject": "Again",
            "body": "x",
            "audience": {"type": "tenant"},
            "attachment_ids": [attachment["id"]],
        },
    )
    assert again.status_code == 422


def test_attachments_stored_before_sealing_are_sealed_in_place(stack: Any) -> None:
    seal = AttachmentSeal.from_config(stack.service_env("messaging")["SNP_ATTACHMENT_KEKS"])
    assert seal is not None
    attachment_id, tenant = str(uuid.uuid4()), f"force-{uuid.uuid4().hex[:6]}"
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        conn.execute(  # a row as the release before sealing wrote it
            "INSERT INTO attachments (attachment_id, tenant, uploaded_by, filename, content_type,"
            " size, sha256, content) VALUES (%s, %s, 'p1', 'old.pdf', 'application/pdf', %s,"
            " '', %s)",
            (attachment_id, tenant, len(PDF), PDF),
        )
        assert seal_plaintext_rows(conn, seal) >= 1
        row = conn.execute(
            "SELECT wrapped_key, salt, content FROM attachments WHERE attachment_id = %s",
            (attachment_id,),
        ).fetchone()
        assert seal_plaintext_rows(conn, seal) == 0  # nothing left in the clear
    assert row is not None and b"ward panel briefing" not in bytes(row[2])
    sealed = SealedAttachment(bytes(row[0]), bytes(row[1]), bytes(row[2]))
    assert seal.open(tenant, attachment_id, sealed) == PDF


def test_attachments_are_police_only_size_limited_and_checked(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    made = force["force"]
    chair = member_token(identity, made, force["people"]["chair"])
    refused = upload(messaging, chair, PDF)
    assert refused.status_code == 403  # officers message their group, but attach nothing
    police = made.police.token
    too_big = upload(messaging, police, b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert too_big.status_code == 413
    assert too_big.headers["content-type"].startswith("application/problem+json")
    assert upload(messaging, police, b"").status_code == 422
    assert upload(messaging, police, b"MZ\x90\x00\x03\x00\x00\x00\xff\xff").status_code == 422
    before = message_count(stack)
    unknown = messaging.post(
        "/messages",
        headers=bearer(police),
        json={
            "subject": "x",
            "body": "y",
            "audience": {"type": "tenant"},
            "attachment_ids": [str(uuid.uuid4())],
        },
    )
    assert unknown.status_code == 422
    assert message_count(stack) == before
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        kept = conn.execute(
            "SELECT count(*) FROM attachments WHERE size > %s", (10 * 1024 * 1024,)
        ).fetchone()
    assert kept is not None and kept[0] == 0


def test_a_forwarded_document_becomes_a_notification_with_a_sign_in_link(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    force: dict[str, Any],
    documents_events: EventPublisher,
) -> None:
    made, people = force["force"], force["people"]
    document_id = str(uuid.uuid4())
    forwarded = documents.DocumentForwarded(
        document_id=document_id,
        group_id=force["elm"],
        mailing_list_id=str(uuid.uuid4()),
        recipient_account_ids=[people["ann"].account_id, people["bob"].account_id],
        title=documents.SealedText(ciphertext=b"\x00sealed"),
        forwarded_by=people["chair"].account_id,
        audience="members",
    )
    documents_events.publish(made.tenant, f"document:{document_id}", forwarded)
    link_end = f"/documents/{document_id}"  # the portal's document page

    def arrived() -> bool:
        return all(
            any(link_end in body_text(m) for m in mails_to(stack.maildir, p.email))
            for p in (people["ann"], people["bob"])
        )

    wait_until(arrived, timeout=90, what="the forwarded document's notifications")
    ann = member_token(identity, made, people["ann"])
    latest = messaging.get("/inbox", headers=bearer(ann)).json()["messages"][0]
    assert latest["type"] == "document"
    assert latest["link"].endswith(link_end)
    assert latest["subject"] == "A document from Elm Street Watch"
    assert latest["sender"]["name"] == "Resident chair"  # the forwarding officer, from identity
    assert latest["sender"]["role"] == "officer of Elm Street Watch"
    assert not any(link_end in body_text(m) for m in mails_to(stack.maildir, people["cat"].email))
    # One notification each.
    ann_copies = [
        m for m in mails_to(stack.maildir, people["ann"].email) if link_end in body_text(m)
    ]
    assert len(ann_copies) == 1
