"""Bounces that come back after the SMTP session (RFC 3464 DSNs), against the real stack: a
remote server accepted a member's mail and later sent a permanent-failure DSN to our address;
messaging's relay reads it from the bounce mailbox (the local mail sink) and marks that
delivery bounced and the member's email as a problem, once. A delay notice and an
out-of-office reply for the same mail change nothing."""

from __future__ import annotations

import smtplib
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.messaging_helpers import (
    EventPublisher,
    add_members,
    bearer,
    member_token,
    publish_group,
    wait_until,
)
from tests.integration.test_messaging_api import (  # the module's fixtures, shared
    force,
    identity,
    membership_events,
    messaging,
    messaging_db,
    send,
    wait_for_final,
    wait_for_roles,
)

__all__ = ["force", "identity", "membership_events", "messaging"]
pytestmark = pytest.mark.integration
DOMAIN = "saferneighbourhoods.example"  # messaging's SNP_MAIL_DOMAIN in the local stack


def _dsn(delivery_id: str, action: str, status: str) -> str:
    return (
        "From: MAILER-DAEMON@mx.example.net\r\n"
        f"To: alerts@{DOMAIN}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        "Final-Recipient: rfc822; someone@example.net\r\n"
        f"Action: {action}\r\nStatus: {status}\r\n"
        "Diagnostic-Code: smtp; 550 5.2.1 mailbox disabled\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: <{delivery_id}@{DOMAIN}>\r\nSubject: Late bounce drill\r\n\r\n"
        "--B--\r\n"
    )


def _out_of_office(delivery_id: str) -> str:
    return (
        "From: someone@example.net\r\n"
        f"To: alerts@{DOMAIN}\r\n"
        "Subject: Automatic reply: Late bounce drill\r\n"
        "Auto-Submitted: auto-replied\r\n"
        f"In-Reply-To: <{delivery_id}@{DOMAIN}>\r\n\r\n"
        "I am away until Monday.\r\n"
    )


def _mail_back(stack: Any, text: str) -> None:
    """What a remote server does: SMTP to our address, here the stack's sink."""
    with smtplib.SMTP("127.0.0.1", stack.ports.smtp, timeout=10) as smtp:
        smtp.sendmail("", [f"alerts@{DOMAIN}"], text.encode())


def _statuses(stack: Any, message_id: str) -> dict[str, tuple[str, str]]:
    with messaging_db(stack) as conn:
        rows = conn.execute(
            "SELECT account_id, delivery_id::text, status FROM deliveries WHERE message_id = %s",
            (message_id,),
        ).fetchall()
    return {str(a): (str(d), str(s)) for a, d, s in rows}


def test_a_late_permanent_failure_marks_the_delivery_and_the_contact_once(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    force: dict[str, Any],
    membership_events: EventPublisher,
) -> None:
    made = force["force"]
    chair = force["people"]["chair"]
    people = add_members(stack, made, [f"late-{uuid.uuid4().hex[:4]}", "away", "slow"])
    gone, away, slow = people.values()
    group = publish_group(
        membership_events, made, "Birch Close Watch", "W04", chair, [*people.values()]
    )
    wait_for_roles(stack, group, 4)
    token = member_token(identity, made, chair)
    sent = send(messaging, token, {"type": "group", "id": group}, subject="Late bounce drill")
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]
    wait_for_final(messaging, token, message_id, 4)
    before = _statuses(stack, message_id)
    assert {s for _, s in before.values()} == {"sent"}  # the remote servers all accepted it

    _mail_back(stack, _out_of_office(before[away.account_id][0]))
    _mail_back(stack, _dsn(before[slow.account_id][0], "delayed", "4.4.7"))
    _mail_back(stack, _dsn(before[gone.account_id][0], "failed", "5.2.1"))
    _mail_back(stack, _dsn(before[gone.account_id][0], "failed", "5.2.1"))  # sent twice

    wait_until(
        lambda: _statuses(stack, message_id)[gone.account_id][1] == "bounced",
        timeout=60,
        what="the late bounce applied",
    )
    after = _statuses(stack, message_id)
    assert {a: s for a, (_, s) in after.items() if a != gone.account_id} == {
        a: "sent" for a in after if a != gone.account_id
    }
    prefs = messaging.get("/preferences", headers=bearer(member_token(identity, made, gone)))
    problems = prefs.json()["delivery_problems"]
    assert [(p["channel"], p["outcome"]) for p in problems] == [("email", "bounced")]
    assert "5.2.1" in problems[0]["reason"]
    with messaging_db(stack) as conn:
        recorded = conn.execute(
            "SELECT count(*) FROM events WHERE stream_id = %s"
            " AND event_type = 'messaging.ContactDeliveryProblemRecorded'",
            (f"recipient:{gone.account_id}",),
        ).fetchone()
    assert recorded is not None and recorded[0] == 1  # the second copy changed nothing
    for other in (away, slow):
        page = messaging.get("/preferences", headers=bearer(member_token(identity, made, other)))
        assert page.json()["delivery_problems"] == []
