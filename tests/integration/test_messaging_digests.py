"""Digests and quiet hours against the running stack, mails read from the local mail sink.

A digest member gets one mail listing three low-priority messages and no mail for each, and
a rerun of `snp-messaging send-digests` sends nothing more; an urgent message in a member's
quiet hours goes at once while a low-priority one is held and goes when they end
(`release-held --now`); bad input is a 422 problem document that changes nothing; the force's
digest time is its tenant admins' to set."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest

from snp_messaging.adapters.subject_export import subject_part
from snp_messaging.domain.digests import WEEKDAYS
from tests.integration.messaging_helpers import (
    EventPublisher,
    Force,
    Person,
    add_members,
    bearer,
    body_text,
    mails_to,
    member_token,
    new_force,
    publish_group,
    wait_until,
)
from tests.integration.test_messaging_api import (
    identity,
    membership_events,
    messaging,
    messaging_db,
    send,
    wait_for_roles,
)

__all__ = ["identity", "membership_events", "messaging"]
pytestmark = pytest.mark.integration
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def world(stack: Any, identity: httpx.Client, membership_events: EventPublisher) -> dict[str, Any]:
    made = new_force(stack, identity)
    people = add_members(stack, made, ["chair", "dora", "quinn", "plain", "picky"])
    group = publish_group(
        membership_events,
        made,
        "Digest Street Watch",
        "W01",
        people["chair"],
        [people["dora"], people["quinn"], people["plain"], people["picky"]],
    )
    wait_for_roles(stack, group, 5)
    return {"force": made, "people": people, "group": group}


def _run(stack: Any, *command: str) -> str:
    """A messaging command as an operator runs it; its last line (the summary)."""
    env = {**os.environ, **stack.service_env("messaging")}
    done = subprocess.run(
        ["snp-messaging", *command], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def _clock(at: datetime) -> str:
    return at.astimezone(LONDON).strftime("%H:%M")


def _subjects(stack: Any, person: Person) -> list[str]:
    return [str(m["Subject"]) for m in mails_to(stack.maildir, person.email)]


def _token(identity: httpx.Client, world: dict[str, Any], name: str) -> str:
    return member_token(identity, world["force"], world["people"][name])


def test_the_force_sets_its_digest_time_and_bad_input_changes_nothing(
    identity: httpx.Client, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    made: Force = world["force"]
    admin, police = bearer(made.admin.token), bearer(made.police.token)
    assert messaging.get("/digest-schedule", headers=admin).json() == {
        "time": "07:00",
        "weekday": "monday",
        "timezone": "Europe/London",
        "is_default": True,
    }
    assert messaging.get("/digest-schedule", headers=police).status_code == 403
    member = bearer(_token(identity, world, "plain"))
    refused = messaging.put(
        "/digest-schedule", headers=member, json={"time": "08:00", "weekday": "friday"}
    )
    assert refused.status_code == 403
    bad = messaging.put(
        "/digest-schedule", headers=admin, json={"time": "8pm", "weekday": "caturday"}
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert len(bad.json()["errors"]) == 2
    assert messaging.get("/digest-schedule", headers=admin).json()["is_default"] is True
    good = messaging.put(
        "/digest-schedule", headers=admin, json={"time": "18:30", "weekday": "friday"}
    )
    assert good.status_code == 200, good.text
    assert messaging.get("/digest-schedule", headers=admin).json() == {
        "time": "18:30",
        "weekday": "friday",
        "timezone": "Europe/London",
        "is_default": False,
    }


def test_bad_digest_or_quiet_hours_input_is_a_problem_and_changes_nothing(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    token = bearer(_token(identity, world, "picky"))
    chosen = messaging.put(
        "/preferences",
        headers=token,
        json={"channels": ["email"], "digest": "weekly", "digest_below": "urgent"},
    )
    assert chosen.status_code == 200, chosen.text
    before = messaging.get("/preferences", headers=token).json()
    assert (before["digest"], before["digest_below"], before["quiet_hours"]) == (
        "weekly",
        "urgent",
        None,
    )
    account = world["people"]["picky"].account_id
    with messaging_db(stack) as conn:
        events_before = conn.execute(
            "SELECT count(*) FROM events WHERE stream_id = %s", (f"recipient:{account}",)
        ).fetchone()
    bad = messaging.put(
        "/preferences",
        headers=token,
        json={
            "channels": ["sms"],
            "digest": "hourly",
            "digest_below": "low",
            "quiet_hours": {"start": "25:00", "end": "07:00"},
        },
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    messages = {e["message"] for e in bad.json()["errors"]}
    assert "digest must be none, daily or weekly, not 'hourly'" in messages
    assert "digest_below must be normal, high or urgent" in messages
    assert "quiet hours need a start and an end like 22:00 and 07:00" in messages
    same_start = messaging.put(
        "/preferences",
        headers=token,
        json={"channels": ["email"], "quiet_hours": {"start": "22:00", "end": "22:00"}},
    )
    assert same_start.status_code == 422
    no_email = messaging.put("/preferences", headers=token, json={"channels": ["sms"]})
    assert no_email.status_code == 422  # a weekly digest (kept) is an email
    assert "a digest is an email: choose email to have one" in no_email.text
    assert messaging.get("/preferences", headers=token).json() == before
    with messaging_db(stack) as conn:
        events_after = conn.execute(
            "SELECT count(*) FROM events WHERE stream_id = %s", (f"recipient:{account}",)
        ).fetchone()
    assert events_after == events_before


def test_a_digest_member_gets_one_mail_listing_three_messages_once(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    made: Force = world["force"]
    people: dict[str, Person] = world["people"]
    dora, plain = people["dora"], people["plain"]
    # The force's digest time six hours from now: the relay's own round (at the real time)
    # finds yesterday's occurrence, before anything was held, and sends nothing itself.
    now = datetime.now(UTC)
    at = now + timedelta(hours=6)
    # Weekly digests (another member's) on a day that is not the one the job is run for.
    other_day = WEEKDAYS[(at.astimezone(LONDON).weekday() + 3) % 7]
    assert (
        messaging.put(
            "/digest-schedule",
            headers=bearer(made.admin.token),
            json={"time": _clock(at), "weekday": other_day},
        ).status_code
        == 200
    )
    chose = messaging.put(
        "/preferences",
        headers=bearer(_token(identity, world, "dora")),
        json={"channels": ["email"], "digest": "daily", "digest_below": "high"},
    )
    assert chose.status_code == 200, chose.text
    assert (chose.json()["digest"], chose.json()["digest_below"]) == ("daily", "high")

    chair = _token(identity, world, "chair")
    run = str(time.time_ns())[-6:]
    subjects = [f"Bins {run}", f"Fete {run}", f"Parking {run}"]
    ids = []
    for subject, priority in zip(subjects, ["low", "normal", "low"], strict=True):
        sent = send(
            messaging,
            chair,
            {"type": "group", "id": world["group"]},
            subject=subject,
            priority=priority,
        )
        assert sent.status_code == 202, sent.text
        ids.append(sent.json()["id"])
    high = send(
        messaging,
        chair,
        {"type": "group", "id": world["group"]},
        subject=f"Fire {run}",
        priority="high",
    )
    assert high.status_code == 202
    # Everyone else has each by mail; the digest member has the high one at once.
    wait_until(lambda: set(subjects) <= set(_subjects(stack, plain)), what="plain's mails")
    wait_until(lambda: f"[HIGH] Fire {run}" in _subjects(stack, dora), what="dora's high mail")
    time.sleep(3)  # were anything else sent to her, it would be there by now
    assert not set(subjects) & set(_subjects(stack, dora))
    inbox = messaging.get("/inbox", headers=bearer(_token(identity, world, "dora"))).json()
    assert set(ids) <= {m["id"] for m in inbox["messages"]}  # in her inbox at once

    # A minute after the force's next digest time, the job sends one digest.
    due = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    summary = _run(stack, "send-digests", "--now", due.astimezone(UTC).isoformat())
    assert summary.startswith("recorded 1 digest(s)"), summary
    digest_subject = "Your daily digest: 3 messages"
    wait_until(lambda: digest_subject in _subjects(stack, dora), what="dora's digest")
    # A rerun, as after a crash: nothing more.
    assert _run(stack, "send-digests", "--now", due.astimezone(UTC).isoformat()).startswith(
        "recorded 0 digest(s)"
    )
    time.sleep(3)
    mails = [m for m in mails_to(stack.maildir, dora.email) if m["Subject"] == digest_subject]
    assert len(mails) == 1
    text = body_text(mails[0])
    for number, (subject, message_id) in enumerate(zip(subjects, ids, strict=True), start=1):
        assert f"{number}. {subject}" in text
        assert f"/inbox/{message_id}" in text
    assert f"From chair of Digest Street Watch, {made.display_name}," in text
    assert not set(subjects) & set(_subjects(stack, dora))  # and still none one by one
    # Recorded with the digest: what it covered, and its delivery like any mail's.
    with messaging_db(stack) as conn:
        covered = conn.execute(
            "SELECT message_id::text, digest_id::text FROM digest_items WHERE account_id = %s",
            (dora.account_id,),
        ).fetchall()
        digest_id = covered[0][1]
        delivery = conn.execute(
            "SELECT channel, status FROM deliveries WHERE message_id = %s", (digest_id,)
        ).fetchall()
    assert {m for m, _ in covered} == set(ids) and {d for _, d in covered} == {digest_id}
    assert delivery == [("email", "sent")]
    assert mails[0]["Message-ID"].startswith("<")
    # The member's copy of their data shows the choice and what the digest covered.
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        part = subject_part(conn, made.tenant, dora.account_id)
    assert part["preferences"]["digest"] == "daily"
    assert part["preferences"]["digest_below"] == "high"
    assert {i["message_id"] for i in part["preferences"]["digest_items"]} == set(ids)


def test_an_urgent_message_in_quiet_hours_goes_at_once_and_a_low_one_when_they_end(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, world: dict[str, Any]
) -> None:
    quinn, plain = world["people"]["quinn"], world["people"]["plain"]
    now = datetime.now(UTC)
    start, end = now - timedelta(hours=1), now + timedelta(hours=1)
    chose = messaging.put(
        "/preferences",
        headers=bearer(_token(identity, world, "quinn")),
        json={"channels": ["email"], "quiet_hours": {"start": _clock(start), "end": _clock(end)}},
    )
    assert chose.status_code == 200, chose.text
    assert chose.json()["quiet_hours"] == {"start": _clock(start), "end": _clock(end)}

    chair = _token(identity, world, "chair")
    run = str(time.time_ns())[-6:]
    group = {"type": "group", "id": world["group"]}
    low = send(messaging, chair, group, subject=f"Litter pick {run}", priority="low")
    urgent = send(messaging, chair, group, subject=f"Gas leak {run}", priority="urgent")
    assert low.status_code == urgent.status_code == 202
    wait_until(lambda: f"[URGENT] Gas leak {run}" in _subjects(stack, quinn), what="urgent mail")
    wait_until(lambda: f"Litter pick {run}" in _subjects(stack, plain), what="plain's low mail")
    time.sleep(3)
    assert f"Litter pick {run}" not in _subjects(stack, quinn)
    status = messaging.get(f"/messages/{low.json()['id']}", headers=bearer(chair)).json()
    assert status["deliveries"]["held"] == 1
    held = [r for r in status["recipients_page"] if r["account_id"] == quinn.account_id]
    assert [r["status"] for r in held] == ["held"]

    # Before the end nothing is released; once it has passed, the held mail goes.
    assert _run(stack, "release-held", "--now", (end - timedelta(minutes=5)).isoformat()) == (
        f"released 0 held deliver(ies) at {(end - timedelta(minutes=5)).isoformat()}"
    )
    after = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
    assert _run(stack, "release-held", "--now", after.isoformat()).startswith("released 1 ")
    wait_until(lambda: f"Litter pick {run}" in _subjects(stack, quinn), what="the held mail")
    assert _subjects(stack, quinn).count(f"Litter pick {run}") == 1


def test_a_digest_due_in_the_members_quiet_hours_is_held_to_their_end(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    membership_events: EventPublisher,
    world: dict[str, Any],
) -> None:
    made: Force = world["force"]
    chair = world["people"]["chair"]
    nell = add_members(stack, made, ["nell"])["nell"]
    group = publish_group(membership_events, made, "Quiet Lane Watch", "W01", chair, [nell])
    wait_for_roles(stack, group, 2)
    # The force's digest time six hours from now, inside the member's quiet hours.
    at = (datetime.now(UTC) + timedelta(hours=6)).replace(second=0, microsecond=0)
    start, end = at - timedelta(hours=1), at + timedelta(hours=1)
    assert (
        messaging.put(
            "/digest-schedule",
            headers=bearer(made.admin.token),
            json={"time": _clock(at), "weekday": "monday"},
        ).status_code
        == 200
    )
    chose = messaging.put(
        "/preferences",
        headers=bearer(member_token(identity, made, nell)),
        json={
            "channels": ["email"],
            "digest": "daily",
            "digest_below": "high",
            "quiet_hours": {"start": _clock(start), "end": _clock(end)},
        },
    )
    assert chose.status_code == 200, chose.text
    run = str(time.time_ns())[-6:]
    sent = send(
        messaging,
        member_token(identity, made, chair),
        {"type": "group", "id": group},
        subject=f"Hedges {run}",
        priority="low",
    )
    assert sent.status_code == 202, sent.text

    due = at + timedelta(minutes=1)
    # Others of the force may have digests due too (what earlier tests left waiting).
    summary = _run(stack, "send-digests", "--now", due.isoformat())
    assert not summary.startswith("recorded 0 digest(s)"), summary

    def digest_delivery() -> tuple[str, datetime]:
        with messaging_db(stack) as conn:
            row = conn.execute(
                "SELECT d.status, d.next_attempt_at FROM digest_items i"
                " JOIN deliveries d ON d.message_id = i.digest_id"
                " WHERE i.account_id = %s AND i.message_id = %s",
                (nell.account_id, sent.json()["id"]),
            ).fetchone()
        assert row is not None
        return str(row[0]), row[1]

    assert digest_delivery() == ("held", end)  # the end of her quiet hours, to the minute
    time.sleep(3)
    digest_subject = "Your daily digest: 1 message"
    assert digest_subject not in _subjects(stack, nell)
    # Before the end it stays held (other tests' held mail may be released); after, it goes.
    _run(stack, "release-held", "--now", (end - timedelta(minutes=5)).isoformat())
    assert digest_delivery()[0] == "held"
    _run(stack, "release-held", "--now", (end + timedelta(minutes=1)).isoformat())
    wait_until(lambda: digest_subject in _subjects(stack, nell), what="the held digest")
    assert _subjects(stack, nell).count(digest_subject) == 1


def test_a_correction_reaches_a_member_who_had_the_original_in_a_digest(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    membership_events: EventPublisher,
    world: dict[str, Any],
) -> None:
    made: Force = world["force"]
    chair = world["people"]["chair"]
    dee = add_members(stack, made, ["dee"])["dee"]
    group = publish_group(membership_events, made, "Digest Row Watch", "W01", chair, [dee])
    wait_for_roles(stack, group, 2)
    at = (datetime.now(UTC) + timedelta(hours=6)).replace(second=0, microsecond=0)
    assert (
        messaging.put(
            "/digest-schedule",
            headers=bearer(made.admin.token),
            json={"time": _clock(at), "weekday": "monday"},
        ).status_code
        == 200
    )
    chose = messaging.put(
        "/preferences",
        headers=bearer(member_token(identity, made, dee)),
        json={
            "channels": ["email"],
            "digest": "daily",
            "digest_below": "high",
            "quiet_hours": None,
        },
    )
    assert chose.status_code == 200, chose.text
    police = made.police.token
    run = str(time.time_ns())[-6:]
    due = (at + timedelta(minutes=1)).isoformat()

    def alert(subject: str) -> str:
        sent = send(messaging, police, {"type": "group", "id": group}, subject=subject)
        assert sent.status_code == 202, sent.text
        return str(sent.json()["id"])

    def correct(message_id: str) -> str:
        answer = messaging.post(
            f"/messages/{message_id}/correction",
            headers=bearer(police),
            json={"body": "The meeting is on Thursday, not Tuesday."},
        )
        assert answer.status_code == 202, answer.text
        return str(answer.json()["id"])

    def dee_deliveries(message_id: str) -> list[tuple[str, str]]:
        with messaging_db(stack) as conn:
            rows = conn.execute(
                "SELECT channel, status FROM deliveries WHERE message_id = %s AND account_id = %s",
                (message_id, dee.account_id),
            ).fetchall()
        return [(str(c), str(s)) for c, s in rows]

    # Her digest has not gone: the correction waits in it, beside the original.
    first = alert(f"Meeting {run}")
    first_fix = correct(first)
    assert dee_deliveries(first_fix) == []
    assert not _run(stack, "send-digests", "--now", due).startswith("recorded 0 digest(s)")
    listed = "Your daily digest: 2 messages"
    wait_until(lambda: listed in _subjects(stack, dee), what="the digest with the correction")
    text = body_text(next(m for m in mails_to(stack.maildir, dee.email) if m["Subject"] == listed))
    assert f"1. Meeting {run}" in text and f"2. Correction: Meeting {run}" in text
    assert f"/inbox/{first_fix}" in text

    # Her digest went with the original: the correction is emailed to her now.
    second = alert(f"Surgery {run}")
    assert _run(stack, "send-digests", "--now", due).startswith("recorded 1 digest(s)")  # hers
    second_fix = correct(second)
    wait_until(
        lambda: f"Correction: Surgery {run}" in _subjects(stack, dee), what="the corrected mail"
    )
    assert dee_deliveries(second_fix) == [("email", "sent")]
    assert f"Surgery {run}" not in _subjects(stack, dee)  # the original only in the digest
    assert _subjects(stack, dee).count(f"Correction: Surgery {run}") == 1
