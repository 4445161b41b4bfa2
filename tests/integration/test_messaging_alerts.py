"""Police alerts against the running stack: a draft's preview (nothing stored), the force's
alerts list with search, a message's counts over time, and no member contact details for police
(recipients by account and status only; the group's officers still see names)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from tests.integration.messaging_helpers import (
    EventPublisher,
    Force,
    add_members,
    bearer,
    body_text,
    mails_to,
    member_token,
    publish_group,
)
from tests.integration.test_messaging_api import (  # noqa: F401 (the fixtures, shared)
    force,
    identity,
    membership_events,
    message_count,
    messaging,
    send,
    wait_for_final,
    wait_for_roles,
)

pytestmark = pytest.mark.integration


def draft(audience: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "subject": "Burglaries in W01",
        "body": "Lock doors and windows tonight. Advice: https://police.example/advice.",
        "type": "alert",
        "priority": "high",
        "audience": audience,
        **extra,
    }


def test_a_preview_shows_the_alert_as_the_mail_and_the_inbox_will_and_stores_nothing(
    stack: Any,
    identity: httpx.Client,  # noqa: F811
    messaging: httpx.Client,  # noqa: F811
    force: dict[str, Any],  # noqa: F811
) -> None:
    made: Force = force["force"]
    people = force["people"]
    for name in ("ann", "cat"):
        token = member_token(identity, made, people[name])
        put = messaging.put(
            "/preferences", headers=bearer(token), json={"channels": ["email"], "areas": ["W01"]}
        )
        assert put.status_code == 200, put.text
    before = message_count(stack)
    shown = messaging.post(
        "/previews", headers=bearer(made.police.token), json=draft({"type": "ward", "id": "W01"})
    )
    assert shown.status_code == 200, shown.text
    preview = shown.json()
    who = f"PC Jo Patel, police officer, {made.display_name}"
    assert preview["sender"] == {
        "name": "PC Jo Patel",
        "role": "police officer",
        "force": made.display_name,
    }
    assert preview["email"]["subject"] == "[HIGH] Burglaries in W01"
    assert preview["email"]["text"].startswith(
        f"Lock doors and windows tonight. Advice: https://police.example/advice.\n\nFrom {who}.\n"
    )
    assert preview["recipients"] == 2 and preview["deliveries"] == 2
    assert message_count(stack) == before

    # The same faults as a send, as a 422 problem; and the same refusal for a member.
    bad = draft({"type": "ward", "id": "NOWHERE"}, body="  ")
    previewed = messaging.post("/previews", headers=bearer(made.police.token), json=bad)
    sent = messaging.post("/messages", headers=bearer(made.police.token), json=bad)
    assert previewed.status_code == sent.status_code == 422
    assert previewed.headers["content-type"].startswith("application/problem+json")
    assert previewed.json()["errors"] == sent.json()["errors"]
    member = member_token(identity, made, people["ann"])
    refused = messaging.post(
        "/previews", headers=bearer(member), json=draft({"type": "ward", "id": "W01"})
    )
    assert refused.status_code == 403
    assert message_count(stack) == before

    # What the preview showed is what arrives.
    alert = messaging.post(
        "/messages", headers=bearer(made.police.token), json=draft({"type": "ward", "id": "W01"})
    )
    assert alert.status_code == 202, alert.text
    wait_for_final(messaging, made.police.token, alert.json()["id"], 2)
    mail = next(
        m
        for m in mails_to(stack.maildir, people["ann"].email)
        if m["Subject"] == "[HIGH] Burglaries in W01"
    )
    text = body_text(mail)
    shown_part = preview["email"]["text"].split("\n\nSent through")[0]
    assert text.replace("\r\n", "\n").startswith(shown_part)


def test_police_see_recipients_by_account_and_status_only(
    stack: Any,
    identity: httpx.Client,  # noqa: F811
    messaging: httpx.Client,  # noqa: F811
    force: dict[str, Any],  # noqa: F811
    membership_events: EventPublisher,  # noqa: F811
) -> None:
    made: Force = force["force"]
    chair = force["people"]["chair"]
    gone = add_members(
        stack, made, ["gone"], domain="bounce.example", phones={"gone": "07700900123"}
    )["gone"]
    kept = add_members(stack, made, ["kept"], phones={"kept": "07700900456"})["kept"]
    group = publish_group(membership_events, made, "Birch Close Watch", "W04", chair, [gone, kept])
    wait_for_roles(stack, group, 3)
    sent = send(
        messaging, made.police.token, {"type": "group", "id": group}, subject="Birch Close alert"
    )
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]
    status = wait_for_final(messaging, made.police.token, message_id, 3)
    assert (status["deliveries"]["sent"], status["deliveries"]["bounced"]) == (2, 1)
    assert status["recipients_identified"] is False
    by_account = {r["account_id"]: r for r in status["recipients_page"]}
    assert by_account[gone.account_id]["status"] == "bounced"
    assert by_account[gone.account_id]["reason"] == "bounced"
    assert by_account[kept.account_id]["reason"] == ""
    answer = json.dumps(status)
    for person in (gone, kept, chair):
        assert person.name not in answer and person.email not in answer
    for phone in ("07700900123", "07700900456", "7700900"):
        assert phone not in answer
    # The mail server's refusal (550 ...) is not for police; a timestamp's digits may hold 550.
    assert re.search(r"\b550\b", answer) is None and "bounce.example" not in answer
    assert all("display_name" not in r and "last_error" not in r for r in status["recipients_page"])

    # Counts over time: every outcome is in some interval since it was sent.
    timeline = status["timeline"]
    assert timeline["interval_seconds"] == 60
    assert sum(b["sent"] for b in timeline["buckets"]) == 2
    assert sum(b["bounced"] for b in timeline["buckets"]) == 1
    assert timeline["buckets"][0]["start"] == status["sent_at"]

    # The force's other staff who send alerts read it the same way; the group's chair sees names.
    admin = messaging.get(f"/messages/{message_id}", headers=bearer(made.admin.token))
    assert admin.status_code == 200, admin.text
    assert gone.name not in admin.text and admin.json()["recipients_identified"] is False
    officer = messaging.get(
        f"/messages/{message_id}", headers=bearer(member_token(identity, made, chair))
    )
    assert officer.status_code == 200, officer.text
    names = {r["account_id"]: r["display_name"] for r in officer.json()["recipients_page"]}
    assert names[gone.account_id] == gone.name
    assert (
        "550"
        in {r["account_id"]: r for r in officer.json()["recipients_page"]}[gone.account_id][
            "last_error"
        ]
    )


def test_the_force_s_alerts_are_listed_newest_first_with_search_and_pages(
    stack: Any,
    identity: httpx.Client,  # noqa: F811
    messaging: httpx.Client,  # noqa: F811
    force: dict[str, Any],  # noqa: F811
) -> None:
    made: Force = force["force"]
    police = made.police.token
    first = send(messaging, police, {"type": "tenant"}, subject="Force appeal: 100% of sheds")
    second = send(messaging, made.admin.token, {"type": "ward", "id": "W02"}, subject="Oak Road")
    chair = member_token(identity, made, force["people"]["chair"])
    officers = send(messaging, chair, {"type": "group", "id": force["elm"]}, subject="Elm AGM")
    for answer in (first, second, officers):
        assert answer.status_code == 202, answer.text

    listed = messaging.get("/alerts", headers=bearer(police))
    assert listed.status_code == 200, listed.text
    alerts = listed.json()["alerts"]
    ids = [a["id"] for a in alerts]
    assert ids[:2] == [second.json()["id"], first.json()["id"]]
    assert officers.json()["id"] not in ids  # a group officer's message is the group's
    assert {"total", "sent", "pending", "queued", "failed", "bounced"} <= set(
        alerts[0]["deliveries"]
    )
    assert alerts[1]["sender"]["name"] == "PC Jo Patel"

    def found(**params: Any) -> list[str]:
        got = messaging.get("/alerts", headers=bearer(police), params=params)
        assert got.status_code == 200, got.text
        return [a["subject"] for a in got.json()["alerts"]]

    assert found(q="100%") == ["Force appeal: 100% of sheds"]  # % is a character, not a wildcard
    assert found(q="100_") == []
    assert found(q="oak road") == ["Oak Road"]
    assert found(audience="tenant") == ["Force appeal: 100% of sheds"]
    page = messaging.get("/alerts", headers=bearer(police), params={"limit": 1}).json()
    assert [a["id"] for a in page["alerts"]] == [second.json()["id"]]
    following = messaging.get(
        "/alerts", headers=bearer(police), params={"limit": 1, "cursor": page["next_cursor"]}
    ).json()
    assert [a["id"] for a in following["alerts"]] == [first.json()["id"]]

    refused = messaging.get("/alerts", headers=bearer(chair))
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert messaging.get("/alerts").status_code == 401
    assert (
        messaging.get("/alerts", headers=bearer(police), params={"audience": "x"}).status_code
        == 422
    )
