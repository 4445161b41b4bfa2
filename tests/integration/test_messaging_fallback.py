"""The fallback channel against the running stack: an urgent alert whose email bounces (at the
mail sink, or later by a Notify permanent-failure receipt) reaches the member by text through
the local GOV.UK Notify, once, with an inbox notice; a less urgent one does not fall back."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from snp_messaging.domain.fallback import NOTICE_SUBJECT, text_notice
from snp_stack import notify_stub
from tests.integration.messaging_helpers import (
    EventPublisher,
    Force,
    add_members,
    bearer,
    member_token,
    publish_group,
    wait_until,
)
from tests.integration.test_messaging_api import (  # noqa: F401 (the fixtures, shared)
    force,
    identity,
    membership_events,
    messaging,
    send,
    wait_for_final,
    wait_for_roles,
)

pytestmark = pytest.mark.integration


def texts_for(stack: Any, delivery_ids: set[str]) -> list[dict[str, Any]]:
    return [
        n
        for n in notify_stub.read_notifications(stack.notify_dir)
        if n["reference"] in delivery_ids
    ]


def notices(client: httpx.Client, token: str) -> list[dict[str, Any]]:
    inbox = client.get("/inbox", headers=bearer(token))
    assert inbox.status_code == 200, inbox.text
    return [m for m in inbox.json()["messages"] if m["subject"] == NOTICE_SUBJECT]


def test_an_urgent_alert_whose_email_bounces_goes_by_text_and_a_high_one_does_not(
    stack: Any,
    identity: httpx.Client,  # noqa: F811
    messaging: httpx.Client,  # noqa: F811
    force: dict[str, Any],  # noqa: F811
    membership_events: EventPublisher,  # noqa: F811
) -> None:
    made: Force = force["force"]
    chair = force["people"]["chair"]
    phoned = add_members(
        stack, made, ["gone"], domain="bounce.example", phones={"gone": "+447700900123"}
    )["gone"]
    unphoned = add_members(stack, made, ["lost"], domain="bounce.example")["lost"]
    kept = add_members(stack, made, ["kept"], phones={"kept": "+447700900456"})["kept"]
    group = publish_group(
        membership_events, made, "Rowan Way Watch", "W04", chair, [phoned, unphoned, kept]
    )
    wait_for_roles(stack, group, 4)
    police = made.police.token

    urgent = send(
        messaging,
        police,
        {"type": "group", "id": group},
        subject="Gas leak on Rowan Way",
        body="Leave your homes now.",
        priority="urgent",
    )
    assert urgent.status_code == 202, urgent.text
    urgent_id = urgent.json()["id"]
    # Four emails (two bounce) and one text in place of the bounced email with a phone.
    status = wait_for_final(messaging, police, urgent_id, 5)
    assert (status["deliveries"]["bounced"], status["fell_back"]) == (2, 1)
    rows = status["recipients_page"]
    text = next(r for r in rows if r["channel"] == "sms")
    bounced_email = next(
        r for r in rows if r["account_id"] == phoned.account_id and r["channel"] == "email"
    )
    assert text["account_id"] == phoned.account_id and text["status"] == "sent"
    assert text["fallback_of"] == bounced_email["delivery_id"]
    assert bounced_email["status"] == "bounced"
    assert all(r["fallback_of"] is None for r in rows if r["channel"] == "email")
    sent_texts = texts_for(stack, {r["delivery_id"] for r in rows})
    assert [(n["type"], n["to"]) for n in sent_texts] == [("sms", "+447700900123")]
    body = sent_texts[0]["content"]["body"]
    assert text_notice() in body and "Leave your homes now." in body
    # The member is told in their inbox; the member without a phone, and the one whose email
    # went, are not.
    told = notices(messaging, member_token(identity, made, phoned))
    assert len(told) == 1
    for person in (unphoned, kept):
        assert notices(messaging, member_token(identity, made, person)) == []

    high = send(
        messaging,
        police,
        {"type": "group", "id": group},
        subject="Road works on Rowan Way",
        body="Expect delays.",
        priority="high",
    )
    assert high.status_code == 202, high.text
    # The bounce and any fallback are one transaction: four final emails, no text.
    status = wait_for_final(messaging, police, high.json()["id"], 4)
    assert (status["deliveries"]["bounced"], status["fell_back"]) == (2, 0)
    assert {r["channel"] for r in status["recipients_page"]} == {"email"}
    assert len(notices(messaging, member_token(identity, made, phoned))) == 1


def test_a_late_permanent_failure_falls_back_once_however_often_it_is_reported(
    stack: Any,
    identity: httpx.Client,  # noqa: F811
    messaging: httpx.Client,  # noqa: F811
    force: dict[str, Any],  # noqa: F811
    membership_events: EventPublisher,  # noqa: F811
) -> None:
    made: Force = force["force"]
    chair = force["people"]["chair"]
    people = add_members(stack, made, ["late", "bare"], phones={"late": "+447700900789"})
    group = publish_group(
        membership_events, made, "Larch Lane Watch", "W04", chair, list(people.values())
    )
    wait_for_roles(stack, group, 3)
    police = made.police.token
    sent = send(
        messaging,
        police,
        {"type": "group", "id": group},
        subject="Flooding on Larch Lane",
        body="Move to higher ground.",
        priority="urgent",
    )
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]
    status = wait_for_final(messaging, police, message_id, 3)
    email_of = {r["account_id"]: r["delivery_id"] for r in status["recipients_page"]}
    token = {"Authorization": f"Bearer {notify_stub.stored_callback_token(stack.notify_dir)}"}
    for person in people.values():
        for _ in range(2):  # a replayed receipt changes nothing more
            receipt = {
                "id": str(uuid.uuid4()),
                "reference": email_of[person.account_id],
                "status": "permanent-failure",
            }
            answer = messaging.post("/providers/notify/receipts", json=receipt, headers=token)
            assert answer.status_code < 300, answer.text

    # One text for each: sent to the member with a phone, skipped for the one without.
    def settled() -> bool:
        seen = messaging.get(f"/messages/{message_id}", headers=bearer(police)).json()
        status.update(seen)
        d = seen["deliveries"]
        return bool(d["total"] == 5 and d["sent"] + d["bounced"] + d["skipped"] == 5)

    wait_until(settled, timeout=90, what="the fallback texts")
    assert status["fell_back"] == 2
    texts = {r["account_id"]: r for r in status["recipients_page"] if r["channel"] == "sms"}
    assert texts[people["late"].account_id]["status"] == "sent"
    assert texts[people["late"].account_id]["fallback_of"] == email_of[people["late"].account_id]
    bare = texts[people["bare"].account_id]
    assert (bare["status"], bare["reason"]) == ("skipped", "no address")
    sent_texts = texts_for(stack, {r["delivery_id"] for r in texts.values()})
    assert [n["to"] for n in sent_texts] == ["+447700900789"]
    for person in people.values():
        assert len(notices(messaging, member_token(identity, made, person))) == 1
