"""Governance of police alerts against the running stack (PostgreSQL, Kafka, OPA, the mail
sink): under the force's rule a force-wide alert waits, its sender's own approval is refused,
a second officer approves it and it is delivered; a rejected one reaches nobody; a waiting one
is edited or withdrawn by its sender only; a correction and a withdrawal reach exactly the
original's recipients, a member who opted in afterwards included in neither; bad steps are
problems that change nothing, and another force's police get 404."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.integration import test_messaging_api as shared
from tests.integration.messaging_helpers import (
    EventPublisher,
    Force,
    Person,
    add_members,
    bearer,
    mails_to,
    member_token,
    new_force,
    new_police_officer,
    publish_group,
    wait_until,
)
from tests.integration.test_messaging_api import messaging_db, wait_for_final, wait_for_roles

pytestmark = pytest.mark.integration
# Messaging's module fixtures, shared: the identity and messaging clients, membership's events.
identity, messaging, membership_events = shared.identity, shared.messaging, shared.membership_events
OPTED_IN = ("ann", "bob", "cat")


@pytest.fixture(scope="module")
def world(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, membership_events: EventPublisher
) -> dict[str, Any]:
    """A force whose rule holds force-wide and urgent alerts, two police officers, three
    members opted into ward W01 by email, and another force's police officer."""
    force = new_force(stack, identity)
    people = add_members(stack, force, ["chair", *OPTED_IN, "dee"])
    group = publish_group(membership_events, force, "Elm Street Watch", "W01", people["chair"], [])
    wait_for_roles(stack, group, 1)
    for name in OPTED_IN:
        put = messaging.put(
            "/preferences",
            headers=bearer(member_token(identity, force, people[name])),
            json={"channels": ["email"], "areas": ["W01"]},
        )
        assert put.status_code == 200, put.text
    second = new_police_officer(identity, force, "PC Sam Okoro")
    rule = messaging.put(
        "/alerts/approval-rule",
        headers=bearer(force.admin.token),
        json={"approval_required": True},
    )
    assert rule.status_code == 200, rule.text
    other = new_force(stack, identity)
    return {"force": force, "people": people, "second": second, "other": other}


def events_on(stack: Any, tenant: str, stream_id: str) -> list[str]:
    with messaging_db(stack) as conn:
        rows = conn.execute(
            "SELECT event_type FROM events WHERE tenant = %s AND stream_id = %s"
            " ORDER BY stream_version",
            (tenant, stream_id),
        ).fetchall()
    return [str(r[0]) for r in rows]


def fan_out_rows(stack: Any, message_id: str) -> tuple[int, int, int]:
    """(messages rows, inbox entries, deliveries) of the message."""
    with messaging_db(stack) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM messages WHERE message_id = %(id)s),"
            " (SELECT count(*) FROM inbox WHERE message_id = %(id)s),"
            " (SELECT count(*) FROM deliveries WHERE message_id = %(id)s)",
            {"id": message_id},
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def alert(
    client: httpx.Client, who: Person, subject: str, audience: dict[str, str], priority: str
) -> httpx.Response:
    body = {
        "subject": subject,
        "body": "Details of what happened and what to do.",
        "type": "alert",
        "priority": priority,
        "audience": audience,
    }
    return client.post("/messages", headers=bearer(who.token), json=body)


def held(client: httpx.Client, who: Person, alert_id: str) -> dict[str, Any]:
    answer = client.get(f"/alerts/held/{alert_id}", headers=bearer(who.token))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def step(
    client: httpx.Client, who: Person, alert_id: str, verb: str, reason: str = ""
) -> httpx.Response:
    return client.post(
        f"/alerts/held/{alert_id}/{verb}", headers=bearer(who.token), json={"reason": reason}
    )


def mailed_to(stack: Any, people: dict[str, Person], subject: str) -> dict[str, int]:
    """How many copies each member got of the mail with this subject (those with any)."""
    counts = {
        n: sum(m["Subject"] == subject for m in mails_to(stack.maildir, p.email))
        for n, p in people.items()
    }
    return {n: c for n, c in counts.items() if c}


def test_only_the_forces_tenant_admins_set_its_rule(
    stack: Any, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    force: Force = world["force"]
    seen = messaging.get("/alerts/approval-rule", headers=bearer(force.admin.token))
    assert seen.status_code == 200
    assert seen.json() == {"approval_required": True, "force_wide": True, "urgent": True}
    refused = messaging.put(
        "/alerts/approval-rule",
        headers=bearer(force.police.token),
        json={"approval_required": False},
    )
    assert refused.status_code == 403, refused.text
    again = messaging.put(
        "/alerts/approval-rule",
        headers=bearer(force.admin.token),
        json={"approval_required": True},
    )
    assert again.status_code == 200, again.text
    # Set once by the fixture; neither the refusal nor the same answer again recorded anything.
    rule_stream = f"alert-rules:{force.tenant}"
    assert events_on(stack, force.tenant, rule_stream) == ["messaging.AlertApprovalRuleChanged"]
    elsewhere = messaging.get("/alerts/approval-rule", headers=bearer(world["other"].admin.token))
    assert elsewhere.json() == {"approval_required": False, "force_wide": False, "urgent": False}


def test_the_force_sets_force_wide_and_urgent_approval_apart(
    stack: Any, identity: httpx.Client, messaging: httpx.Client
) -> None:
    force = new_force(stack, identity)
    admin = bearer(force.admin.token)
    rule_stream = f"alert-rules:{force.tenant}"

    def put(body: dict[str, Any]) -> httpx.Response:
        return messaging.put("/alerts/approval-rule", headers=admin, json=body)

    def status(subject: str, priority: str) -> str:
        sent = alert(messaging, force.police, subject, {"type": "tenant"}, priority)
        assert sent.status_code == 202, sent.text
        return str(sent.json()["status"])

    urgent_only = put({"urgent": True})
    assert urgent_only.status_code == 200, urgent_only.text
    assert urgent_only.json() == {"approval_required": True, "force_wide": False, "urgent": True}
    assert messaging.get("/alerts/approval-rule", headers=admin).json() == urgent_only.json()
    assert (status("Urgent to all", "urgent"), status("High to all", "high")) == (
        "waiting",
        "sent",
    )
    # A setting left out stays as it was.
    both = put({"force_wide": True})
    assert both.json() == {"approval_required": True, "force_wide": True, "urgent": True}
    force_wide_only = put({"urgent": False})
    assert force_wide_only.json() == {
        "approval_required": True,
        "force_wide": True,
        "urgent": False,
    }
    assert status("High to all again", "high") == "waiting"
    # Bad input is a problem document and changes nothing.
    for bad in ({}, {"approval_required": True, "urgent": True}, {"urgent": "maybe"}):
        refused = put(bad)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert messaging.get("/alerts/approval-rule", headers=admin).json() == force_wide_only.json()
    assert events_on(stack, force.tenant, rule_stream) == ["messaging.AlertApprovalRuleChanged"] * 3
    # The old flag sets both.
    assert put({"approval_required": False}).json() == {
        "approval_required": False,
        "force_wide": False,
        "urgent": False,
    }


def test_a_force_wide_alert_waits_for_a_second_officer_then_reaches_everyone_once(
    stack: Any, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    force: Force = world["force"]
    sender, second = force.police, world["second"]
    subject = f"Phone scam warning {uuid.uuid4().hex[:6]}"
    sent = alert(messaging, sender, subject, {"type": "tenant"}, "normal")
    assert sent.status_code == 202, sent.text
    assert sent.json()["status"] == "waiting" and sent.json()["recipients"] == 0
    alert_id = sent.json()["id"]
    assert fan_out_rows(stack, alert_id) == (0, 0, 0)  # nothing queued while it waits

    listed = messaging.get("/alerts/held", headers=bearer(second.token))
    assert listed.status_code == 200, listed.text
    mine = next(a for a in listed.json()["alerts"] if a["id"] == alert_id)
    assert mine["subject"] == subject and mine["decidable"] is True
    assert held(messaging, sender, alert_id)["decidable"] is False

    own = step(messaging, sender, alert_id, "approve", "looks right to me")
    assert own.status_code == 403, own.text
    assert own.headers["content-type"].startswith("application/problem+json")
    assert held(messaging, second, alert_id)["status"] == "waiting"
    assert fan_out_rows(stack, alert_id) == (0, 0, 0)

    approved = step(messaging, second, alert_id, "approve", "checked with the control room")
    assert approved.status_code == 200, approved.text
    assert approved.json()["recipients"] == len(OPTED_IN)
    status = wait_for_final(messaging, sender.token, alert_id, len(OPTED_IN))
    assert status["deliveries"]["sent"] == len(OPTED_IN)
    wait_until(
        lambda: len(mailed_to(stack, world["people"], subject)) == len(OPTED_IN),
        what="the approved alert in the sink",
    )
    assert mailed_to(stack, world["people"], subject) == dict.fromkeys(OPTED_IN, 1)
    shown = held(messaging, sender, alert_id)
    assert shown["status"] == "approved" and shown["decided_by"] == second.account_id
    assert shown["reason"] == "checked with the control room"

    twice = step(messaging, second, alert_id, "approve")
    assert twice.status_code == 409, twice.text
    assert twice.json()["type"].endswith("alert-state-conflict")
    assert events_on(stack, force.tenant, f"message:{alert_id}") == [
        "messaging.AlertHeld",
        "messaging.AlertApproved",
        "messaging.MessageSent",
    ]
    assert fan_out_rows(stack, alert_id)[2] == len(OPTED_IN)


def test_a_rejected_alert_never_reaches_anyone(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    force: Force = world["force"]
    second = world["second"]
    subject = f"Gas main burst {uuid.uuid4().hex[:6]}"
    sent = alert(messaging, force.police, subject, {"type": "ward", "id": "W01"}, "urgent")
    assert sent.status_code == 202 and sent.json()["status"] == "waiting", sent.text
    alert_id = sent.json()["id"]

    no_reason = step(messaging, second, alert_id, "reject", "  ")
    assert no_reason.status_code == 422, no_reason.text
    assert held(messaging, second, alert_id)["status"] == "waiting"
    rejected = step(messaging, second, alert_id, "reject", "the fire service leads on this")
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    late = step(messaging, second, alert_id, "approve")
    assert late.status_code == 409, late.text

    assert fan_out_rows(stack, alert_id) == (0, 0, 0)
    assert events_on(stack, force.tenant, f"message:{alert_id}") == [
        "messaging.AlertHeld",
        "messaging.AlertRejected",
    ]
    # A message sent after it is delivered: the rejected one would have been by now.
    after = alert(messaging, force.police, f"After {subject}", {"type": "ward", "id": "W01"}, "low")
    assert after.status_code == 202 and after.json()["status"] == "sent", after.text
    wait_for_final(messaging, force.police.token, after.json()["id"], len(OPTED_IN))
    assert mailed_to(stack, world["people"], f"[URGENT] {subject}") == {}
    ann = member_token(identity, force, world["people"]["ann"])
    inbox = messaging.get("/inbox", headers=bearer(ann)).json()["messages"]
    assert after.json()["id"] in [m["id"] for m in inbox]
    assert alert_id not in [m["id"] for m in inbox]


def test_a_waiting_alert_is_edited_or_withdrawn_by_its_sender_only(
    stack: Any, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    force: Force = world["force"]
    sender, second = force.police, world["second"]
    sent = alert(messaging, sender, "Flooding on the estate", {"type": "tenant"}, "high")
    alert_id = sent.json()["id"]
    wording = {
        "subject": "Flooding: Elm estate",
        "body": "Move cars off Elm Road.",
        "type": "alert",
        "priority": "high",
    }

    by_other = messaging.put(f"/alerts/held/{alert_id}", headers=bearer(second.token), json=wording)
    assert by_other.status_code == 403, by_other.text
    blank = messaging.put(
        f"/alerts/held/{alert_id}", headers=bearer(sender.token), json={**wording, "body": " "}
    )
    assert blank.status_code == 422, blank.text
    assert held(messaging, sender, alert_id)["subject"] == "Flooding on the estate"
    edited = messaging.put(f"/alerts/held/{alert_id}", headers=bearer(sender.token), json=wording)
    assert edited.status_code == 200, edited.text
    assert (
        edited.json()["subject"] == "Flooding: Elm estate" and edited.json()["status"] == "waiting"
    )

    assert step(messaging, second, alert_id, "withdraw").status_code == 403
    withdrawn = step(messaging, sender, alert_id, "withdraw", "the water has gone down")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert step(messaging, second, alert_id, "approve").status_code == 409
    assert (
        messaging.put(
            f"/alerts/held/{alert_id}", headers=bearer(sender.token), json=wording
        ).status_code
        == 409
    )
    assert fan_out_rows(stack, alert_id) == (0, 0, 0)
    assert events_on(stack, force.tenant, f"message:{alert_id}") == [
        "messaging.AlertHeld",
        "messaging.AlertEdited",
        "messaging.AlertWithdrawn",
    ]
    listed = messaging.get("/alerts/held", headers=bearer(second.token)).json()["alerts"]
    assert alert_id not in [a["id"] for a in listed]


def test_a_correction_and_a_withdrawal_reach_exactly_the_originals_recipients(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    force: Force = world["force"]
    people: dict[str, Person] = world["people"]
    sender, second = force.police, world["second"]
    subject = f"Suspect vehicle {uuid.uuid4().hex[:6]}"
    sent = alert(messaging, sender, subject, {"type": "ward", "id": "W01"}, "normal")
    assert sent.status_code == 202 and sent.json()["status"] == "sent", sent.text
    original = sent.json()["id"]
    wait_for_final(messaging, sender.token, original, len(OPTED_IN))
    # A member who opts into the ward afterwards was never told, so is not told of the change.
    dee = member_token(identity, force, people["dee"])
    put = messaging.put(
        "/preferences", headers=bearer(dee), json={"channels": ["email"], "areas": ["W01"]}
    )
    assert put.status_code == 200, put.text

    correction = {"body": "The vehicle is a blue van, not a red one.", "reason": "wrong colour"}
    someone_elses = messaging.post(
        f"/messages/{original}/correction", headers=bearer(second.token), json=correction
    )
    assert someone_elses.status_code == 403, someone_elses.text
    empty = messaging.post(
        f"/messages/{original}/correction", headers=bearer(sender.token), json={"body": ""}
    )
    assert empty.status_code == 422, empty.text
    assert events_on(stack, force.tenant, f"message:{original}") == ["messaging.MessageSent"]

    corrected = messaging.post(
        f"/messages/{original}/correction", headers=bearer(sender.token), json=correction
    )
    assert corrected.status_code == 202, corrected.text
    correction_id = corrected.json()["id"]
    assert corrected.json()["recipients"] == len(OPTED_IN)
    wait_for_final(messaging, sender.token, correction_id, len(OPTED_IN))
    corrected_subject = f"Correction: {subject}"
    wait_until(
        lambda: len(mailed_to(stack, people, corrected_subject)) == len(OPTED_IN),
        what="the correction in the sink",
    )
    assert mailed_to(stack, people, corrected_subject) == dict.fromkeys(OPTED_IN, 1)

    ann = messaging.get("/inbox", headers=bearer(member_token(identity, force, people["ann"])))
    by_id = {m["id"]: m for m in ann.json()["messages"]}
    assert [f["id"] for f in by_id[original]["follow_ups"]] == [correction_id]
    assert by_id[original]["follow_ups"][0]["kind"] == "correction"
    assert by_id[correction_id]["follows_up"] == {"id": original, "kind": "correction"}
    assert by_id[original]["withdrawn"] is False
    dees = messaging.get("/inbox", headers=bearer(dee)).json()["messages"]
    assert {original, correction_id}.isdisjoint(m["id"] for m in dees)

    withdrawal = messaging.post(
        f"/messages/{original}/withdrawal",
        headers=bearer(sender.token),
        json={"body": "The van has been found. Thank you.", "reason": "resolved"},
    )
    assert withdrawal.status_code == 202, withdrawal.text
    withdrawal_id = withdrawal.json()["id"]
    wait_for_final(messaging, sender.token, withdrawal_id, len(OPTED_IN))
    with messaging_db(stack) as conn:
        recipients = {
            str(message): sorted(str(a) for a in accounts)
            for message, accounts in conn.execute(
                "SELECT message_id, array_agg(account_id || ':' || channel) FROM deliveries"
                " WHERE message_id = ANY(%s::uuid[]) GROUP BY message_id",
                ([original, correction_id, withdrawal_id],),
            )
        }
    assert recipients[correction_id] == recipients[original] == recipients[withdrawal_id]
    assert people["dee"].account_id not in str(recipients)
    ann = messaging.get("/inbox", headers=bearer(member_token(identity, force, people["ann"])))
    first = next(m for m in ann.json()["messages"] if m["id"] == original)
    assert first["withdrawn"] is True
    assert [f["kind"] for f in first["follow_ups"]] == ["correction", "withdrawal"]

    again = messaging.post(
        f"/messages/{original}/correction", headers=bearer(sender.token), json=correction
    )
    assert again.status_code == 409, again.text
    of_follow_up = messaging.post(
        f"/messages/{correction_id}/correction", headers=bearer(sender.token), json=correction
    )
    assert of_follow_up.status_code == 409, of_follow_up.text
    assert events_on(stack, force.tenant, f"message:{original}") == [
        "messaging.MessageSent",
        "messaging.MessageFollowedUp",
        "messaging.MessageFollowedUp",
    ]


def test_another_forces_police_and_unknown_ids_get_404(
    stack: Any, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    force: Force = world["force"]
    sent = alert(messaging, force.police, "Held for the 404 test", {"type": "tenant"}, "low")
    alert_id = sent.json()["id"]
    direct = alert(
        messaging, force.police, "Sent for the 404 test", {"type": "ward", "id": "W01"}, "low"
    )
    message_id = direct.json()["id"]
    outsider: Person = world["other"].police
    for answer in (
        messaging.get(f"/alerts/held/{alert_id}", headers=bearer(outsider.token)),
        step(messaging, outsider, alert_id, "approve"),
        step(messaging, outsider, alert_id, "reject", "not ours"),
        step(messaging, outsider, alert_id, "withdraw"),
        messaging.post(
            f"/messages/{message_id}/correction",
            headers=bearer(outsider.token),
            json={"body": "x"},
        ),
        step(messaging, world["second"], str(uuid.uuid4()), "approve"),
        messaging.post(
            f"/messages/{uuid.uuid4()}/withdrawal",
            headers=bearer(force.police.token),
            json={"body": "x"},
        ),
    ):
        assert answer.status_code == 404, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
    outsiders_list = messaging.get("/alerts/held", headers=bearer(outsider.token)).json()
    assert alert_id not in [a["id"] for a in outsiders_list["alerts"]]
    assert held(messaging, world["second"], alert_id)["status"] == "waiting"
    assert events_on(stack, force.tenant, f"message:{message_id}") == ["messaging.MessageSent"]


def test_a_held_alerts_attachment_is_checked_when_held_and_goes_with_it_when_approved(
    stack: Any, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    force: Force = world["force"]
    body = {
        "subject": "Wanted: poster attached",
        "body": "Have you seen this man?",
        "type": "appeal",
        "priority": "normal",
        "audience": {"type": "tenant"},
    }
    unknown = messaging.post(
        "/messages",
        headers=bearer(force.police.token),
        json={**body, "attachment_ids": [str(uuid.uuid4())]},
    )
    assert unknown.status_code == 422, unknown.text
    uploaded = messaging.post(
        "/attachments",
        headers=bearer(force.police.token),
        files={"file": ("poster.txt", b"Wanted poster", "text/plain")},
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment_id = uploaded.json()["id"]
    sent = messaging.post(
        "/messages",
        headers=bearer(force.police.token),
        json={**body, "attachment_ids": [attachment_id]},
    )
    assert sent.status_code == 202 and sent.json()["status"] == "waiting", sent.text
    alert_id = sent.json()["id"]
    approved = step(messaging, world["second"], alert_id, "approve")
    assert approved.status_code == 200, approved.text
    status = messaging.get(f"/messages/{alert_id}", headers=bearer(force.police.token)).json()
    assert [a["id"] for a in status["attachments"]] == [attachment_id]


def claimed_by(stack: Any, attachment_id: str) -> str | None:
    with messaging_db(stack) as conn:
        row = conn.execute(
            "SELECT message_id::text FROM attachments WHERE attachment_id = %s", (attachment_id,)
        ).fetchone()
    assert row is not None
    return None if row[0] is None else str(row[0])


@pytest.mark.parametrize(("verb", "by"), [("reject", "second"), ("withdraw", "sender")])
def test_a_held_alert_ended_unsent_releases_its_attachment_for_another_message(
    stack: Any, messaging: httpx.Client, world: dict[str, Any], verb: str, by: str
) -> None:
    force: Force = world["force"]
    who = world["second"] if by == "second" else force.police
    uploaded = messaging.post(
        "/attachments",
        headers=bearer(force.police.token),
        files={"file": ("map.txt", b"Cordon map", "text/plain")},
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment_id = uploaded.json()["id"]
    body = {
        "subject": f"Cordon in place {verb}",
        "body": "Avoid the high street.",
        "type": "alert",
        "priority": "normal",
        "audience": {"type": "tenant"},
        "attachment_ids": [attachment_id],
    }
    sent = messaging.post("/messages", headers=bearer(force.police.token), json=body)
    assert sent.status_code == 202 and sent.json()["status"] == "waiting", sent.text
    alert_id = sent.json()["id"]
    assert claimed_by(stack, attachment_id) == alert_id

    ended = step(messaging, who, alert_id, verb, "not needed now")
    assert ended.status_code == 200, ended.text
    assert claimed_by(stack, attachment_id) is None  # the uploader's again, not orphaned

    # The same file goes with the officer's next message (it was refused as unknown before).
    again = messaging.post(
        "/messages",
        headers=bearer(force.police.token),
        json={**body, "audience": {"type": "ward", "id": "W01"}, "subject": "Cordon lifted"},
    )
    assert again.status_code == 202 and again.json()["status"] == "sent", again.text
    assert claimed_by(stack, attachment_id) == again.json()["id"]
    shown = messaging.get(f"/messages/{again.json()['id']}", headers=bearer(force.police.token))
    assert [a["id"] for a in shown.json()["attachments"]] == [attachment_id]


def test_a_follow_up_skips_a_recipient_erased_since_the_original(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    membership_events: EventPublisher,
    world: dict[str, Any],
) -> None:
    force: Force = world["force"]
    people = add_members(stack, force, ["oak-chair", "fay", "gus"])
    group = publish_group(
        membership_events, force, "Oak Lane Watch", "W02", people["oak-chair"], []
    )
    wait_for_roles(stack, group, 1)
    for name in ("fay", "gus"):
        put = messaging.put(
            "/preferences",
            headers=bearer(member_token(identity, force, people[name])),
            json={"channels": ["email"], "areas": ["W02"]},
        )
        assert put.status_code == 200, put.text
    subject = f"Burglaries on Oak Lane {uuid.uuid4().hex[:6]}"
    sent = alert(messaging, force.police, subject, {"type": "ward", "id": "W02"}, "normal")
    assert sent.status_code == 202 and sent.json()["status"] == "sent", sent.text
    original = sent.json()["id"]
    assert wait_for_final(messaging, force.police.token, original, 2)["deliveries"]["sent"] == 2

    gus = people["gus"]
    erased = identity.delete(
        f"/accounts/{gus.account_id}", headers=bearer(member_token(identity, force, gus))
    )
    assert erased.status_code == 204, erased.text

    def erasure_seen() -> bool:
        with messaging_db(stack) as conn:
            row = conn.execute(
                "SELECT 1 FROM erased_accounts WHERE account_id = %s", (gus.account_id,)
            ).fetchone()
        return row is not None

    wait_until(erasure_seen, what="messaging learning of the erasure")

    corrected = messaging.post(
        f"/messages/{original}/correction",
        headers=bearer(force.police.token),
        json={"body": "Two houses, not three.", "reason": "miscounted"},
    )
    assert corrected.status_code == 202, corrected.text
    correction_id = corrected.json()["id"]
    assert corrected.json()["recipients"] == 2  # exactly the original's recipients

    seen: dict[str, Any] = {}

    def settled() -> bool:
        answer = messaging.get(f"/messages/{correction_id}", headers=bearer(force.police.token))
        seen.update(answer.json())
        d = seen["deliveries"]
        return bool(d["sent"] + d["failed"] + d["bounced"] + d["skipped"] == 2)

    wait_until(settled, timeout=90, what="the correction's deliveries")
    counts = seen["deliveries"]
    assert (counts["sent"], counts["skipped"], counts["failed"]) == (1, 1, 0)
    by_account = {r["account_id"]: r for r in seen["recipients_page"]}
    assert by_account[gus.account_id]["status"] == "skipped"
    assert by_account[gus.account_id]["reason"] == "account erased"
    assert by_account[gus.account_id]["attempts"] == 0  # never tried
    assert by_account[people["fay"].account_id]["status"] == "sent"
    with messaging_db(stack) as conn:
        problems = conn.execute(
            "SELECT count(*) FROM events WHERE event_type ="
            " 'messaging.ContactDeliveryProblemRecorded' AND stream_id LIKE %s",
            (f"%{gus.account_id}%",),
        ).fetchone()
    assert problems is not None and problems[0] == 0  # no contact problem for who is gone
    wait_until(
        lambda: len(mailed_to(stack, people, f"Correction: {subject}")) == 1,
        what="the correction in the sink",
    )
    assert mailed_to(stack, people, f"Correction: {subject}") == {"fay": 1}
