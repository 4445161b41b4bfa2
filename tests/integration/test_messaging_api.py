"""Messaging against the running stack: sending to groups, wards and the force, preferences,
inbox, statuses, bounces and retries through the stack's real SMTP server (the mail sink)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from snp.membership.v1 import events_pb2 as membership
from snp_platform.eventstore import create_platform_schema
from tests.integration.messaging_helpers import (
    EventPublisher,
    Force,
    Person,
    add_members,
    bearer,
    body_text,
    envelope_recipients,
    group_ref,
    mails_to,
    member_token,
    new_force,
    publish_group,
    wait_until,
)
from tests.integration.refusals import refusal_reasons

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def identity(stack: Any) -> Iterator[httpx.Client]:
    http_port, _ = stack.ports.services["identity"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/identity", timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def messaging(stack: Any) -> Iterator[httpx.Client]:
    http_port, _ = stack.ports.services["messaging"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/messaging", timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def membership_events(stack: Any) -> Iterator[EventPublisher]:
    """Membership's events from a store of the test's own, relayed onto snp.membership.events."""
    name = f"t_membership_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(stack.database_url, dbname=name)
    create_platform_schema(url)
    publisher = EventPublisher(url, stack.kafka_bootstrap, "membership")
    yield publisher
    publisher.close()


def messaging_db(stack: Any) -> psycopg.Connection[Any]:
    return psycopg.connect(stack.service_database_url("messaging"), autocommit=True)


def wait_for_roles(stack: Any, group_id: str, count: int) -> None:
    def arrived() -> bool:
        with messaging_db(stack) as conn:
            row = conn.execute(
                "SELECT count(DISTINCT account_id) FROM group_roles WHERE group_id = %s",
                (group_id,),
            ).fetchone()
        return bool(row and row[0] == count)

    # Last in a session (test_messaging_crash is `leaves_history`) the consumer may still be
    # working through the earlier tests' events: give it time rather than fail on the backlog.
    wait_until(arrived, timeout=240, what=f"messaging's projection of group {group_id}")


@pytest.fixture(scope="module")
def force(stack: Any, identity: httpx.Client, membership_events: EventPublisher) -> dict[str, Any]:
    made = new_force(stack, identity)
    people = add_members(stack, made, ["chair", "ann", "bob", "cat", "dan", "eve"])
    elm = publish_group(
        membership_events,
        made,
        "Elm Street Watch",
        "W01",
        people["chair"],
        [people["ann"], people["bob"], people["cat"]],
    )
    oak = publish_group(
        membership_events, made, "Oak Road Watch", "W02", people["dan"], [people["eve"]]
    )
    wait_for_roles(stack, elm, 4)
    wait_for_roles(stack, oak, 2)
    return {"force": made, "people": people, "elm": elm, "oak": oak}


def send(
    messaging: httpx.Client, token: str, audience: dict[str, str], **extra: Any
) -> httpx.Response:
    body = {
        "subject": "Bike thefts on Elm Street",
        "body": "Please lock your bikes tonight.",
        "type": "crime_update",
        "priority": "normal",
        "audience": audience,
        **extra,
    }
    return messaging.post("/messages", headers=bearer(token), json=body)


def message_count(stack: Any) -> int:
    with messaging_db(stack) as conn:
        row = conn.execute("SELECT count(*) FROM messages").fetchone()
    return int(row[0]) if row else 0


def wait_for_final(
    messaging: httpx.Client, token: str, message_id: str, total: int
) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def done() -> bool:
        answer = messaging.get(f"/messages/{message_id}", headers=bearer(token))
        assert answer.status_code == 200, answer.text
        seen.update(answer.json())
        d = seen["deliveries"]
        return bool(d["total"] == total and d["sent"] + d["failed"] + d["bounced"] == total)

    wait_until(done, timeout=90, what=f"deliveries of {message_id}")
    return seen


def test_a_chair_messages_their_group_and_every_member_receives_it_once(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    made: Force = force["force"]
    people: dict[str, Person] = force["people"]
    chair = member_token(identity, made, people["chair"])
    sent = send(messaging, chair, {"type": "group", "id": force["elm"]})
    assert sent.status_code == 202, sent.text
    assert sent.json()["recipients"] == 4
    message_id = sent.json()["id"]
    status = wait_for_final(messaging, chair, message_id, 4)
    assert status["deliveries"]["sent"] == 4
    assert status["sender"] == {
        "name": "Resident chair",
        "role": "chair of Elm Street Watch",
        "force": made.display_name,
    }
    delivery_ids = {d["account_id"]: d["delivery_id"] for d in status["recipients_page"]}
    for name in ("chair", "ann", "bob", "cat"):
        person = people[name]
        mails = [
            m
            for m in mails_to(stack.maildir, person.email)
            if m["Subject"] == "Bike thefts on Elm Street"
        ]
        assert len(mails) == 1, f"{name} got {len(mails)} copies"
        mail = mails[0]
        assert (
            mail["Message-ID"] == f"<{delivery_ids[person.account_id]}@saferneighbourhoods.example>"
        )
        text = body_text(mail)
        assert "Please lock your bikes tonight." in text
        assert f"From Resident chair, chair of Elm Street Watch, {made.display_name}." in text
    outsiders = {people["dan"].email.lower(), people["eve"].email.lower()}
    assert not outsiders & set(envelope_recipients(stack.maildir))
    ann = member_token(identity, made, people["ann"])
    inbox = messaging.get("/inbox", headers=bearer(ann))
    assert inbox.status_code == 200
    assert [m["id"] for m in inbox.json()["messages"]][:1] == [message_id]
    assert inbox.json()["messages"][0]["sender"]["role"] == "chair of Elm Street Watch"
    # Names are personal data: shown from identity, never kept in messaging's events or tables.
    with messaging_db(stack) as conn:
        kept = conn.execute(
            "SELECT count(*) FROM events WHERE position(%s::bytea IN payload) > 0",
            (b"Resident chair",),
        ).fetchone()
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'messages'"
        ).fetchall()
    assert kept is not None and kept[0] == 0
    assert not any("name" in c[0] for c in columns)
    # A plain member may not read the delivery status of the chair's message.
    refused = messaging.get(f"/messages/{message_id}", headers=bearer(ann))
    assert refused.status_code == 403


def test_a_member_of_another_group_gets_403_sending_to_this_one(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    made: Force = force["force"]
    before = message_count(stack)
    for name in ("dan", "eve"):  # Oak Road's chair and one of its members
        token = member_token(identity, made, force["people"][name])
        refused = send(messaging, token, {"type": "group", "id": force["elm"]})
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "not_an_officer" in refusal_reasons(stack, refused)
    ann = member_token(identity, made, force["people"]["ann"])  # a member, not an officer
    assert send(messaging, ann, {"type": "group", "id": force["elm"]}).status_code == 403
    assert send(messaging, ann, {"type": "ward", "id": "W01"}).status_code == 403
    assert message_count(stack) == before


def test_a_police_alert_to_a_ward_reaches_only_members_who_opted_in(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    made: Force = force["force"]
    people = force["people"]
    opted = {"bob": ["W01"], "dan": ["W01", "W02"], "eve": ["W02"]}
    tokens = {name: member_token(identity, made, people[name]) for name in opted}
    tokens["police"] = made.police.token  # staff may choose areas too: alerts are not for them
    opted["police"] = ["W01", "W02"]
    for name, areas in opted.items():
        put = messaging.put(
            "/preferences",
            headers=bearer(tokens[name]),
            json={"channels": ["email"], "areas": areas},
        )
        assert put.status_code == 200, put.text
    wait_until(
        lambda: _is_staff(stack, made.police.account_id), timeout=60, what="police known as staff"
    )
    alert = send(
        messaging,
        made.police.token,
        {"type": "ward", "id": "W01"},
        subject="Burglary alert W01",
        type="alert",
        priority="high",
    )
    assert alert.status_code == 202, alert.text
    assert alert.json()["recipients"] == 2
    status = wait_for_final(messaging, made.police.token, alert.json()["id"], 2)
    assert status["deliveries"]["sent"] == 2
    assert status["sender"]["role"] == "police officer"
    got = {
        n
        for n, p in people.items()
        if any(
            m["Subject"] == "[HIGH] Burglary alert W01" for m in mails_to(stack.maildir, p.email)
        )
    }
    assert got == {"bob", "dan"}
    assert not any(
        m["Subject"] == "[HIGH] Burglary alert W01"
        for m in mails_to(stack.maildir, made.police.email)
    )
    whole = send(
        messaging, made.police.token, {"type": "tenant"}, subject="Force-wide appeal", type="appeal"
    )
    assert whole.status_code == 202, whole.text
    assert whole.json()["recipients"] == 3  # everyone who opted into any area of the force


def _is_staff(stack: Any, account_id: str) -> bool:
    with messaging_db(stack) as conn:
        row = conn.execute(
            "SELECT 1 FROM staff_accounts WHERE account_id = %s", (account_id,)
        ).fetchone()
    return row is not None


def test_bad_input_gets_a_problem_and_sends_nothing(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    made: Force = force["force"]
    chair = member_token(identity, made, force["people"]["chair"])
    before = message_count(stack)
    empty = send(messaging, chair, {"type": "group", "id": force["elm"]}, body="   ")
    assert empty.status_code == 422
    assert empty.headers["content-type"].startswith("application/problem+json")
    assert {"message": "body must not be empty"} in empty.json()["errors"]
    unknown = send(messaging, chair, {"type": "group", "id": str(uuid.uuid4())})
    assert unknown.status_code == 422
    police = made.police.token
    assert send(messaging, police, {"type": "ward", "id": "NOWHERE"}).status_code == 422
    assert send(messaging, police, {"type": "tenant", "id": "another-force"}).status_code == 422
    assert send(messaging, police, {"type": "planet", "id": "x"}).status_code == 422
    assert (
        send(
            messaging, police, {"type": "group", "id": force["elm"]}, priority="apocalyptic"
        ).status_code
        == 422
    )
    assert (
        messaging.post("/messages", headers=bearer(police), content=b"{not json").status_code == 422
    )
    assert messaging.post("/messages", json={}).status_code == 401
    nul = send(messaging, police, {"type": "tenant"}, subject="Alert\x00")
    assert nul.status_code == 422
    lines = send(messaging, police, {"type": "tenant"}, subject="Two\nlines")
    assert lines.status_code == 422  # line breaks belong in the body only
    assert message_count(stack) == before


def test_a_bounce_and_a_retry_are_recorded(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    force: dict[str, Any],
    membership_events: EventPublisher,
) -> None:
    made: Force = force["force"]
    bouncer = add_members(stack, made, ["gone"], domain="bounce.example")["gone"]
    flaky = add_members(stack, made, ["busy"], domain="flaky.example")["busy"]
    chair = force["people"]["chair"]
    group = publish_group(membership_events, made, "Ash Lane Watch", "W03", chair, [bouncer, flaky])
    wait_for_roles(stack, group, 3)
    token = member_token(identity, made, chair)
    sent = send(messaging, token, {"type": "group", "id": group}, subject="Ash Lane meeting")
    assert sent.status_code == 202, sent.text
    status = wait_for_final(messaging, token, sent.json()["id"], 3)
    assert (status["deliveries"]["sent"], status["deliveries"]["bounced"]) == (2, 1)
    by_account = {d["account_id"]: d for d in status["recipients_page"]}
    assert by_account[bouncer.account_id]["status"] == "bounced"
    assert "550" in by_account[bouncer.account_id]["last_error"]
    assert by_account[flaky.account_id]["status"] == "sent"
    assert by_account[flaky.account_id]["attempts"] == 2  # refused once (451), then accepted
    assert (
        len([m for m in mails_to(stack.maildir, flaky.email) if m["Subject"] == "Ash Lane meeting"])
        == 1
    )
    prefs = messaging.get("/preferences", headers=bearer(member_token(identity, made, bouncer)))
    assert prefs.status_code == 200
    problems = prefs.json()["delivery_problems"]
    assert [(p["channel"], p["outcome"]) for p in problems] == [("email", "bounced")]
    with messaging_db(stack) as conn:
        recorded = conn.execute(
            "SELECT count(*) FROM events WHERE stream_id = %s"
            " AND event_type = 'messaging.ContactDeliveryProblemRecorded'",
            (f"recipient:{bouncer.account_id}",),
        ).fetchone()
    assert recorded is not None and recorded[0] == 1


def test_preferences_are_the_members_own_and_checked(
    identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    made: Force = force["force"]
    token = member_token(identity, made, force["people"]["cat"])
    fresh = messaging.get("/preferences", headers=bearer(token)).json()
    # The wards of the force's groups, the areas a member may opt into, by name.
    wards = fresh.pop("wards")
    assert {"code": "W01", "name": "Ward W01"} in wards
    assert {"code": "W02", "name": "Ward W02"} in wards
    assert [w["name"] for w in wards] == sorted(w["name"] for w in wards)
    # The force's information providers (no agencies here), on by default until chosen.
    providers = fresh.pop("providers")
    assert [(p["id"], p["on"], p["chosen"]) for p in providers] == [
        ("police", True, False),
        ("neighbourhood_watch", True, False),
    ]
    assert fresh == {
        "channels": ["email"],
        "areas": [],
        "minimum_priority": "low",
        "digest": "none",
        "digest_below": "normal",
        "quiet_hours": None,
        "delivery_problems": [],
    }
    bad = messaging.put(
        "/preferences", headers=bearer(token), json={"channels": ["pigeon"], "areas": ["NOWHERE"]}
    )
    assert bad.status_code == 422
    assert {e["message"] for e in bad.json()["errors"]} == {
        "unknown channel 'pigeon'",
        "unknown ward 'NOWHERE'",
    }
    good = messaging.put(
        "/preferences",
        headers=bearer(token),
        json={"channels": ["email", "sms"], "areas": ["W02"], "minimum_priority": "high"},
    )
    assert good.status_code == 200, good.text
    again = messaging.get("/preferences", headers=bearer(token)).json()
    assert (again["channels"], again["areas"], again["minimum_priority"]) == (
        ["email", "sms"],
        ["W02"],
        "high",
    )
    assert messaging.get("/preferences").status_code == 401


def test_the_recipients_projection_rebuilt_from_kafka_equals_the_live_one(
    stack: Any, force: dict[str, Any], database_url: str
) -> None:
    from psycopg_pool import ConnectionPool

    from snp_messaging.adapters.projections import RecipientsProjection
    from snp_messaging.adapters.schema import create_messaging_schema
    from snp_platform.projections import rebuild_from_kafka

    create_messaging_schema(database_url)
    topics = ["snp.membership.events", "snp.identity.events"]
    with ConnectionPool(database_url, min_size=1, max_size=2) as pool:
        applied = rebuild_from_kafka(pool, stack.kafka_bootstrap, RecipientsProjection("t"), topics)
    assert applied > 0
    tenant = force["force"].tenant
    query = (
        "SELECT g.group_id, g.name, g.group_type, g.ward_code, r.account_id, r.role"
        " FROM groups g JOIN group_roles r USING (group_id) WHERE g.tenant = %s ORDER BY 1, 5, 6"
    )
    with psycopg.connect(database_url) as rebuilt, messaging_db(stack) as live:
        assert (
            rebuilt.execute(query, (tenant,)).fetchall()
            == live.execute(query, (tenant,)).fetchall()
        )
        forces = "SELECT display_name FROM forces WHERE tenant = %s"
        assert rebuilt.execute(forces, (tenant,)).fetchall() == [(force["force"].display_name,)]


def test_minimum_priority_and_inbox_only_members_still_get_it_in_their_inbox(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    force: dict[str, Any],
    membership_events: EventPublisher,
) -> None:
    made: Force = force["force"]
    people = add_members(stack, made, ["hal", "ivy", "jon"])
    chair = force["people"]["chair"]
    group = publish_group(
        membership_events, made, "Cedar Court Watch", "W05", chair, list(people.values())
    )
    # Hal is also the group's secretary: an officer, so he may read the delivery status.
    membership_events.publish(
        made.tenant,
        group,
        membership.OfficerAppointed(
            group=group_ref(made, group, "W05"),
            account_id=people["hal"].account_id,
            role="secretary",
            appointed_by=chair.account_id,
        ),
    )
    wait_for_roles(stack, group, 4)
    ivy, jon = (member_token(identity, made, people[n]) for n in ("ivy", "jon"))
    assert (
        messaging.put(
            "/preferences",
            headers=bearer(ivy),
            json={"channels": ["email"], "minimum_priority": "urgent"},
        ).status_code
        == 200
    )
    assert (
        messaging.put("/preferences", headers=bearer(jon), json={"channels": []}).status_code == 200
    )
    token = member_token(identity, made, chair)
    sent = send(
        messaging,
        token,
        {"type": "group", "id": group},
        subject="Cedar Court newsletter",
        priority="low",
    )
    assert sent.status_code == 202, sent.text
    assert sent.json()["recipients"] == 4
    status = wait_for_final(messaging, token, sent.json()["id"], 2)  # chair and hal only
    assert {d["account_id"] for d in status["recipients_page"]} == {
        chair.account_id,
        people["hal"].account_id,
    }
    for name in ("ivy", "jon"):
        assert not [
            m
            for m in mails_to(stack.maildir, people[name].email)
            if m["Subject"] == "Cedar Court newsletter"
        ]
        inbox = messaging.get("/inbox", headers=bearer(ivy if name == "ivy" else jon)).json()
        assert inbox["messages"][0]["id"] == sent.json()["id"]
    hal = member_token(identity, made, people["hal"])
    assert messaging.get(f"/messages/{sent.json()['id']}", headers=bearer(hal)).status_code == 200
    assert messaging.get(f"/messages/{sent.json()['id']}", headers=bearer(ivy)).status_code == 403
