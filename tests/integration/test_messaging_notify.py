"""GOV.UK Notify as a channel: the official client against a local server that speaks Notify's
documented API (JWT checked, templates personalised, errors in Notify's shapes), on its own and
inside the running stack (text messages, and a permanent failure reported by delivery receipt)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from snp_messaging.adapters.channels import Outgoing
from snp_messaging.adapters.notify import NotifyChannel
from snp_messaging.domain.deliveries import Verdict
from snp_stack import notify_stub
from snp_stack.ports import free_ports
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
    wait_for_final,
    wait_for_roles,
)

__all__ = ["force", "identity", "membership_events", "messaging"]
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def local_notify(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """(base url, API key, record file) of a local Notify on a free port."""
    api_key = notify_stub.make_api_key("test")
    record = tmp_path_factory.mktemp("notify") / "notifications.jsonl"
    server = notify_stub.serve(notify_stub.NotifyStub(api_key, record), free_ports(1)[0])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", api_key, record
    server.shutdown()


def outgoing(address: str) -> Outgoing:
    return Outgoing(str(uuid.uuid4()), address, "Ann", "Meeting moved", "Now at 7pm, the hall.")


def recorded(record: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []


def test_email_and_sms_go_through_notify_with_the_delivery_id_as_reference(
    local_notify: tuple[str, str, Path],
) -> None:
    base, key, record = local_notify
    email = NotifyChannel("email", key, notify_stub.EMAIL_TEMPLATE, base)
    sms = NotifyChannel("sms", key, notify_stub.SMS_TEMPLATE, base)
    mail, text = outgoing("ann@residents.example"), outgoing("+447700900123")
    sent_mail, sent_text = email.send(mail), sms.send(text)
    assert sent_mail.verdict is Verdict.SENT and sent_text.verdict is Verdict.SENT
    by_reference = {n["reference"]: n for n in recorded(record)}
    assert by_reference[mail.delivery_id]["id"] == sent_mail.provider_reference
    assert by_reference[mail.delivery_id]["content"]["subject"] == "Meeting moved"
    assert by_reference[mail.delivery_id]["to"] == "ann@residents.example"
    assert (
        by_reference[text.delivery_id]["content"]["body"] == "Meeting moved\nNow at 7pm, the hall."
    )
    assert by_reference[text.delivery_id]["type"] == "sms"


def test_notify_refusals_are_told_apart(local_notify: tuple[str, str, Path]) -> None:
    base, key, _record = local_notify
    email = NotifyChannel("email", key, notify_stub.EMAIL_TEMPLATE, base)
    bad_address = email.send(outgoing("not-an-address"))
    assert bad_address.verdict is Verdict.BOUNCED
    assert "email_address Not a valid email address" in bad_address.detail
    sms = NotifyChannel("sms", key, notify_stub.SMS_TEMPLATE, base)
    assert sms.send(outgoing("+15551234567")).verdict is Verdict.BOUNCED  # not a UK mobile
    wrong_key = NotifyChannel(
        "email", notify_stub.make_api_key("other"), notify_stub.EMAIL_TEMPLATE, base
    )
    refused = wrong_key.send(outgoing("ann@residents.example"))
    assert refused.verdict is Verdict.FAILED and "403" in refused.detail
    no_template = NotifyChannel("email", key, str(uuid.uuid4()), base)
    assert no_template.send(outgoing("ann@residents.example")).verdict is Verdict.FAILED
    unreachable = NotifyChannel(
        "email", key, notify_stub.EMAIL_TEMPLATE, f"http://127.0.0.1:{free_ports(1)[0]}"
    )
    assert unreachable.send(outgoing("ann@residents.example")).verdict is Verdict.RETRY


def test_text_messages_through_the_stacks_notify_and_a_bounce_by_receipt(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    force: dict[str, Any],
    membership_events: EventPublisher,
) -> None:
    made = force["force"]
    texters = add_members(
        stack, made, ["tex", "pat"], phones={"tex": "+447700900123", "pat": "+447700900003"}
    )
    chair = force["people"]["chair"]
    group = publish_group(
        membership_events, made, "Birch Close Watch", "W04", chair, list(texters.values())
    )
    wait_for_roles(stack, group, 3)
    for person in texters.values():
        token = member_token(identity, made, person)
        put = messaging.put("/preferences", headers=bearer(token), json={"channels": ["sms"]})
        assert put.status_code == 200, put.text
    token = member_token(identity, made, chair)
    sent = messaging.post(
        "/messages",
        headers=bearer(token),
        json={
            "subject": "Birch Close",
            "body": "Street party on Saturday.",
            "type": "event",
            "audience": {"type": "group", "id": group},
        },
    )
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]
    wait_for_final(messaging, token, message_id, 3)

    def bounced() -> bool:
        status = messaging.get(f"/messages/{message_id}", headers=bearer(token)).json()
        return bool(status["deliveries"]["bounced"] == 1)

    wait_until(bounced, what="Notify's permanent-failure receipt")
    status = messaging.get(f"/messages/{message_id}", headers=bearer(token)).json()
    rows = {d["account_id"]: d for d in status["recipients_page"]}
    assert (
        rows[texters["tex"].account_id]["channel"],
        rows[texters["tex"].account_id]["status"],
    ) == ("sms", "sent")
    assert rows[texters["pat"].account_id]["status"] == "bounced"
    texts = [
        n
        for n in notify_stub.read_notifications(stack.notify_dir)
        if n["reference"] in {d["delivery_id"] for d in status["recipients_page"]}
    ]
    assert sorted(n["to"] for n in texts) == ["+447700900003", "+447700900123"]
    assert all("Street party on Saturday." in n["content"]["body"] for n in texts)
    pat = member_token(identity, made, texters["pat"])
    problems = messaging.get("/preferences", headers=bearer(pat)).json()["delivery_problems"]
    assert [(p["channel"], p["outcome"]) for p in problems] == [("sms", "bounced")]


def test_receipts_need_notifys_callback_token(stack: Any, messaging: httpx.Client) -> None:
    receipt = {
        "id": str(uuid.uuid4()),
        "reference": str(uuid.uuid4()),
        "status": "permanent-failure",
    }
    assert messaging.post("/providers/notify/receipts", json=receipt).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert (
        messaging.post("/providers/notify/receipts", json=receipt, headers=wrong).status_code == 401
    )
    right = {"Authorization": f"Bearer {notify_stub.stored_callback_token(stack.notify_dir)}"}
    assert (
        messaging.post("/providers/notify/receipts", json=receipt, headers=right).status_code == 404
    )
