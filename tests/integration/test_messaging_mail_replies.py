"""Replies by email against the running stack: every mail of a message carries its delivery's
own reply address; a member who answers it from their mail client (here, smtplib to the sink,
as their mail server would) has their reply in the reply team's thread with their name only,
once however many copies arrive; an out-of-office reply, a DSN and a forged address to the same
addresses record nothing (the DSN still bounces the delivery)."""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.messaging_helpers import (
    Force,
    Person,
    bearer,
    mails_to,
    member_token,
    wait_until,
)
from tests.integration.test_messaging_api import (
    force,
    identity,
    membership_events,
    messaging,
    messaging_db,
    send,
    wait_for_final,
)

__all__ = ["force", "identity", "membership_events", "messaging"]
pytestmark = pytest.mark.integration
DOMAIN = "saferneighbourhoods.example"  # messaging's SNP_MAIL_DOMAIN in the local stack


def _reply_address(stack: Any, person: Person, subject: str) -> str:
    [mail] = [m for m in mails_to(stack.maildir, person.email) if m["Subject"] == subject]
    address = str(mail["Reply-To"])
    assert address.startswith("reply+") and address.endswith(f"@{DOMAIN}")
    return address


def _mail(to: str, sender: str, body: str, **headers: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, "Re: Bike thefts"
    mail["Message-ID"] = make_msgid(domain="example.org")
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail


def _send(stack: Any, to: str, raw: bytes) -> None:
    """What the member's mail server does: SMTP to the reply address, here the stack's sink."""
    with smtplib.SMTP("127.0.0.1", stack.ports.smtp, timeout=10) as smtp:
        smtp.sendmail("someone@example.org", [to], raw)


def _read(maildir: Path, message_id: str) -> int:
    """How many copies of the mail of this Message-ID the relay has dealt with (in cur/)."""
    return sum(message_id.encode() in p.read_bytes() for p in (maildir / "cur").iterdir())


def _all_read(maildir: Path, message_id: str, copies: int) -> bool:
    return _read(maildir, message_id) == copies


def _thread_texts(stack: Any, message_id: str) -> dict[str, list[str]]:
    with messaging_db(stack) as conn:
        rows = conn.execute(
            "SELECT t.account_id, e.text FROM reply_threads t"
            " JOIN reply_entries e USING (thread_id) WHERE t.message_id = %s AND NOT e.from_team"
            " ORDER BY e.written_at",
            (message_id,),
        ).fetchall()
    found: dict[str, list[str]] = {}
    for account, text in rows:
        found.setdefault(str(account), []).append(str(text))
    return found


def test_a_members_mailed_reply_reaches_the_team_once_and_nothing_else_is_a_reply(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    made: Force = force["force"]
    people: dict[str, Person] = force["people"]
    chair = member_token(identity, made, people["chair"])
    subject = f"Bike thefts {uuid.uuid4().hex[:6]}"
    sent = send(messaging, chair, {"type": "group", "id": force["elm"]}, subject=subject)
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]
    wait_for_final(messaging, chair, message_id, 4)
    ann, bob = people["ann"], people["bob"]
    to_ann, to_bob = (_reply_address(stack, p, subject) for p in (ann, bob))
    assert to_ann != to_bob  # one address per delivery
    assert ann.account_id not in to_ann and bob.account_id not in to_bob

    written = _mail(
        to_ann,
        ann.email,
        "I saw two men with bolt cutters.\n\nOn Tue, 1 Dec 2026, Elm Street Watch\n"
        f"<alerts@{DOMAIN}> wrote:\n> {subject}\n> From the chair.\n",
    )
    _send(stack, to_ann, written.as_bytes())
    _send(stack, to_ann, written.as_bytes())  # the member's server delivered it twice

    away = _mail(to_bob, bob.email, "I am away until Monday.", Auto_Submitted="auto-replied")
    _send(stack, to_bob, away.as_bytes())
    vacation = _mail(to_bob, bob.email, "Out of the office.", X_Autoreply="yes")
    _send(stack, to_bob, vacation.as_bytes())
    local, _, domain = to_bob.partition("@")
    forged_to = f"{local[:-6]}{'a' * 6 if not local.endswith('aaaaaa') else 'b' * 6}@{domain}"
    forged = _mail(forged_to, bob.email, "A reply in Bob's name from someone else.")
    _send(stack, forged_to, forged.as_bytes())
    with messaging_db(stack) as conn:
        row = conn.execute(
            "SELECT delivery_id::text FROM deliveries WHERE message_id = %s AND account_id = %s",
            (message_id, bob.account_id),
        ).fetchone()
    assert row is not None
    dsn = (
        "From: MAILER-DAEMON@mx.example.net\r\n"
        f"To: {to_bob}\r\nMessage-ID: <dsn-{uuid.uuid4().hex}@mx.example.net>\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {bob.email}\r\nAction: failed\r\nStatus: 5.2.1\r\n"
        "Diagnostic-Code: smtp; 550 5.2.1 mailbox disabled\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: <{row[0]}@{DOMAIN}>\r\nSubject: {subject}\r\n\r\n--B--\r\n"
    )
    _send(stack, to_bob, dsn.encode())

    wait_until(lambda: ann.account_id in _thread_texts(stack, message_id), 90, "the reply")
    # Every mail dealt with: the automatic ones and the forged one dropped, the DSN bounced.
    for handled, copies in ((written, 2), (away, 1), (vacation, 1), (forged, 1)):
        wait_until(partial(_all_read, stack.maildir, str(handled["Message-ID"]), copies), 60)
    with messaging_db(stack) as conn:

        def bounced() -> bool:
            status = conn.execute(
                "SELECT status FROM deliveries WHERE delivery_id = %s", (row[0],)
            ).fetchone()
            return status is not None and status[0] == "bounced"

        wait_until(bounced, 60, "the DSN bounced Bob's delivery")
    assert _thread_texts(stack, message_id) == {
        ann.account_id: ["I saw two men with bolt cutters."]
    }

    [listed] = messaging.get(f"/messages/{message_id}/reply-threads", headers=bearer(chair)).json()[
        "threads"
    ]
    assert listed["member"] == {"display_name": "Resident ann"}
    shown = messaging.get(f"/reply-threads/{listed['id']}", headers=bearer(chair))
    assert shown.status_code == 200, shown.text
    assert [e["text"] for e in shown.json()["entries"]] == ["I saw two men with bolt cutters."]
    assert ann.email not in shown.text  # the name only, never the address it came from
    # The member sees it in their inbox as their own reply, as one made there.
    ann_token = member_token(identity, made, ann)
    own = messaging.get(f"/inbox/{message_id}", headers=bearer(ann_token)).json()["thread"]
    assert [e["text"] for e in own["entries"]] == ["I saw two men with bolt cutters."]
