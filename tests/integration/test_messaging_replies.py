"""Replies against the running stack: a member replies in the inbox and the message's reply team
sees the name only; a member who shares their email has it shown to the team and the release
in their disclosures; the team's answer reaches that member only (inbox and mail); a thread is
marked handled; an anonymous reply to a police appeal leaves no account id in any table, topic
or log; bad input is a 422 that changes nothing; another force, and anyone not on the team,
gets 404."""

from __future__ import annotations

import time
from typing import Any

import httpx
import psycopg
import pytest

from tests.integration.messaging_helpers import (
    Force,
    Person,
    add_members,
    bearer,
    body_text,
    mails_to,
    member_token,
    new_force,
    wait_until,
)
from tests.integration.reports_world import (
    log_lines_since,
    log_sizes,
    rows_mentioning,
    topic_records_mentioning,
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


def tokens(identity: httpx.Client, force: dict[str, Any]) -> dict[str, str]:
    made: Force = force["force"]
    people: dict[str, Person] = force["people"]
    return {n: member_token(identity, made, p) for n, p in people.items()}


def reply(messaging: httpx.Client, token: str, message_id: str, **body: Any) -> httpx.Response:
    return messaging.post(f"/inbox/{message_id}/replies", headers=bearer(token), json=body)


def threads(messaging: httpx.Client, token: str, message_id: str) -> list[dict[str, Any]]:
    found = messaging.get(f"/messages/{message_id}/reply-threads", headers=bearer(token))
    assert found.status_code == 200, found.text
    listed: list[dict[str, Any]] = found.json()["threads"]
    return listed


def reply_rows(stack: Any) -> tuple[int, int, int]:
    with messaging_db(stack) as conn:
        counted = conn.execute(
            "SELECT (SELECT count(*) FROM reply_threads), (SELECT count(*) FROM reply_entries),"
            " (SELECT count(*) FROM events WHERE stream_id LIKE 'reply-thread:%')"
        ).fetchone()
    assert counted is not None
    return int(counted[0]), int(counted[1]), int(counted[2])


def test_a_reply_reaches_the_team_by_name_and_the_answer_reaches_that_member_only(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t, people = tokens(identity, force), force["people"]
    made: Force = force["force"]
    sent = send(messaging, t["chair"], {"type": "group", "id": force["elm"]})
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]

    posted = reply(messaging, t["ann"], message_id, text="  I saw two men with bolt cutters. ")
    assert posted.status_code == 201, posted.text
    assert posted.json()["reference"] is None
    thread_id = posted.json()["thread_id"]
    # A second reply is the same thread.
    again = reply(messaging, t["ann"], message_id, text="They left in a white van.")
    assert again.json()["thread_id"] == thread_id

    [listed] = threads(messaging, t["chair"], message_id)
    assert listed["member"] == {"display_name": "Resident ann"}
    assert (listed["status"], listed["entries"], listed["anonymous"]) == ("open", 2, False)
    shown = messaging.get(f"/reply-threads/{thread_id}", headers=bearer(t["chair"]))
    assert shown.status_code == 200, shown.text
    thread = shown.json()
    assert thread["team"] == "the officers of Elm Street Watch"
    assert [e["text"] for e in thread["entries"]] == [
        "I saw two men with bolt cutters.",
        "They left in a white van.",
    ]
    assert "contact" not in thread["member"]
    assert people["ann"].email not in shown.text  # the name only, never contact details

    # Not on the team: a member of the group, the force's police (a group's message), another
    # group's officer. Each is told the thread does not exist.
    for outsider in (t["bob"], made.police.token, t["dan"]):
        assert (
            messaging.get(f"/reply-threads/{thread_id}", headers=bearer(outsider)).status_code
            == 404
        )
        assert (
            messaging.get(
                f"/messages/{message_id}/reply-threads", headers=bearer(outsider)
            ).status_code
            == 404
        )
        assert thread_id not in messaging.get("/reply-threads", headers=bearer(outsider)).text

    answered = messaging.post(
        f"/reply-threads/{thread_id}/answers",
        headers=bearer(t["chair"]),
        json={"text": "Thank you, Ann: passed to the police."},
    )
    assert answered.status_code == 201, answered.text
    answer_id = answered.json()["message_id"]
    inbox = messaging.get("/inbox", headers=bearer(t["ann"])).json()["messages"]
    [mine] = [m for m in inbox if m["id"] == answer_id]
    assert (mine["type"], mine["subject"]) == ("reply", "Re: Bike thefts on Elm Street")
    assert mine["body"] == "Thank you, Ann: passed to the police."
    for other in ("bob", "cat", "chair"):
        theirs = messaging.get("/inbox", headers=bearer(t[other])).json()["messages"]
        assert answer_id not in [m["id"] for m in theirs]
    own = messaging.get(f"/inbox/{message_id}", headers=bearer(t["ann"])).json()["thread"]
    assert [(e["from_team"], e["text"]) for e in own["entries"]][-1] == (
        True,
        "Thank you, Ann: passed to the police.",
    )
    # ... and by mail, to Ann alone.
    wait_for_final(messaging, t["chair"], answer_id, 1)
    [mail] = [
        m
        for m in mails_to(stack.maildir, people["ann"].email)
        if "passed to the police" in body_text(m)
    ]
    assert mail["Subject"] == "Re: Bike thefts on Elm Street"
    for other in ("bob", "cat", "chair"):
        assert not [
            m
            for m in mails_to(stack.maildir, people[other].email)
            if "passed to the police" in body_text(m)
        ]

    handled = messaging.post(f"/reply-threads/{thread_id}/handled", headers=bearer(t["chair"]))
    assert handled.status_code == 200, handled.text
    open_ones = messaging.get(
        "/reply-threads", headers=bearer(t["chair"]), params={"status": "open"}
    )
    assert thread_id not in open_ones.text
    done = messaging.get("/reply-threads", headers=bearer(t["chair"]), params={"status": "handled"})
    assert thread_id in [x["id"] for x in done.json()["threads"]]
    # A member's new reply opens it again.
    reply(messaging, t["ann"], message_id, text="One more thing: the van had a ladder.")
    assert threads(messaging, t["chair"], message_id)[0]["status"] == "open"


def test_a_shared_email_is_shown_to_the_team_and_released_in_the_members_disclosures(
    identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t, people = tokens(identity, force), force["people"]
    sent = send(messaging, t["chair"], {"type": "group", "id": force["elm"]}, subject="Meeting")
    message_id = sent.json()["id"]
    posted = reply(messaging, t["bob"], message_id, text="Call me about it.", share_contact="email")
    assert posted.status_code == 201, posted.text
    thread = messaging.get(
        f"/reply-threads/{posted.json()['thread_id']}", headers=bearer(t["chair"])
    )
    assert thread.json()["member"] == {
        "display_name": "Resident bob",
        "contact": {"email": people["bob"].email, "phone": None},
    }

    def disclosures(who: str) -> list[dict[str, Any]]:
        found = identity.get("/me/disclosures", headers=bearer(t[who]))
        assert found.status_code == 200, found.text
        entries: list[dict[str, Any]] = found.json()["disclosures"]
        return entries

    wanted = "you shared your email with the officers of Elm Street Watch in a reply"
    wait_until(
        lambda: any(e["words"] == wanted for e in disclosures("bob")), 60, "bob's disclosure"
    )
    [entry] = [e for e in disclosures("bob") if e["words"] == wanted]
    assert (entry["purpose"], entry["message_id"], entry["service"]) == (
        "reply_shared",
        message_id,
        "messaging",
    )
    assert not [e for e in disclosures("ann") if "in a reply" in e["words"]]


def test_bad_input_is_a_422_that_changes_nothing(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t = tokens(identity, force)
    message_id = send(messaging, t["chair"], {"type": "group", "id": force["elm"]}).json()["id"]
    thread_id = reply(messaging, t["cat"], message_id, text="Noted.").json()["thread_id"]
    before = reply_rows(stack)
    for body, problem in (
        ({"text": "   "}, "text must not be empty"),
        ({"text": "x" * 5001}, "text is longer than 5000 characters"),
        ({"text": "hi", "share_contact": "address"}, None),
        ({"text": "hi", "unknown": 1}, None),
    ):
        refused = reply(messaging, t["cat"], message_id, **body)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        if problem:
            assert {"message": problem} in refused.json()["errors"]
    # A group's message takes no anonymous reply (the policy's), nor does a chair send one.
    assert reply(messaging, t["cat"], message_id, text="hi", anonymous=True).status_code == 403
    asked = send(
        messaging, t["chair"], {"type": "group", "id": force["elm"]}, anonymous_replies=True
    )
    assert asked.status_code == 422, asked.text
    assert {"message": "only police alerts may take anonymous replies"} in asked.json()["errors"]
    empty = messaging.post(
        f"/reply-threads/{thread_id}/answers", headers=bearer(t["chair"]), json={"text": ""}
    )
    assert empty.status_code == 422, empty.text
    assert reply_rows(stack) == before

    # Another force's member and police: the message and the thread are unknown.
    other = new_force(stack, identity)
    [stranger] = add_members(stack, other, ["zed"]).values()
    stranger_token = member_token(identity, other, stranger)
    assert reply(messaging, stranger_token, message_id, text="hi").status_code == 404
    for token in (stranger_token, other.police.token):
        assert (
            messaging.get(f"/reply-threads/{thread_id}", headers=bearer(token)).status_code == 404
        )
        assert (
            messaging.post(
                f"/reply-threads/{thread_id}/answers", headers=bearer(token), json={"text": "hi"}
            ).status_code
            == 404
        )
    # A member of the force not sent it: unknown too.
    assert reply(messaging, t["eve"], message_id, text="hi").status_code == 404
    assert reply_rows(stack) == before


def _settled(stack: Any, needles: list[str]) -> dict[str, int]:
    """The rows mentioning the account once every consumer (audit above all) caught up."""
    before = rows_mentioning(stack, needles)
    for _ in range(20):
        time.sleep(3)
        now = rows_mentioning(stack, needles)
        if now == before:
            return now
        before = now
    raise AssertionError("the stack never settled")


def test_an_anonymous_reply_to_a_police_appeal_leaves_no_link_to_the_account(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t, people = tokens(identity, force), force["people"]
    made: Force = force["force"]
    appeal = send(
        messaging,
        made.police.token,
        {"type": "group", "id": force["elm"]},
        type="appeal",
        subject="Witnesses wanted",
        anonymous_replies=True,
    )
    assert appeal.status_code == 202, appeal.text
    message_id = appeal.json()["id"]
    wait_for_final(messaging, made.police.token, message_id, 4)
    assert messaging.get(f"/inbox/{message_id}", headers=bearer(t["cat"])).json()[
        "anonymous_replies"
    ]
    account = people["cat"].account_id
    rows_before = _settled(stack, [account])
    records_before = topic_records_mentioning(stack.kafka_bootstrap, [account])
    logs = log_sizes(stack.logs_dir)

    posted = reply(
        messaging, t["cat"], message_id, text="It was the man at number 12.", anonymous=True
    )
    assert posted.status_code == 201, posted.text
    reference, thread_id = posted.json()["reference"], posted.json()["thread_id"]
    assert reference.startswith("R-")
    refused = reply(
        messaging, t["cat"], message_id, text="hi", anonymous=True, share_contact="email"
    )
    assert refused.status_code == 422, refused.text

    # The force's police see the reference only, and cannot answer it (nobody to answer).
    [listed] = threads(messaging, made.police.token, message_id)
    assert listed["member"] == {"reference": reference} and listed["anonymous"] is True
    read = messaging.get(f"/reply-threads/{thread_id}", headers=bearer(made.police.token))
    assert read.json()["entries"][0]["text"] == "It was the man at number 12."
    assert "Resident cat" not in read.text
    answer = messaging.post(
        f"/reply-threads/{thread_id}/answers",
        headers=bearer(made.police.token),
        json={"text": "Thank you"},
    )
    assert answer.status_code == 422, answer.text
    # The chair of the group is not the police appeal's reply team.
    assert (
        messaging.get(f"/reply-threads/{thread_id}", headers=bearer(t["chair"])).status_code == 404
    )

    # Through the relay and Kafka into audit, with the actor `anonymous`.
    with psycopg.connect(stack.service_database_url("audit")) as conn:

        def actors() -> list[str]:
            rows = conn.execute(
                "SELECT actor FROM audit_entries WHERE tenant = %s"
                " AND event_type = 'messaging.ReplyPosted' AND entry::text LIKE %s",
                (made.tenant, f"%{thread_id.encode().hex()}%"),
            ).fetchall()
            conn.rollback()
            return [str(r[0]) for r in rows]

        wait_until(lambda: bool(actors()), 90, "the anonymous reply in the audit log")
        assert actors() == ["anonymous"]

    # Nothing anywhere mentions the account more than before: no table, topic or log line.
    assert rows_mentioning(stack, [account]) == rows_before
    assert topic_records_mentioning(stack.kafka_bootstrap, [account]) == records_before
    assert not [line for line in log_lines_since(logs, stack.logs_dir) if account in line]
    assert sum(rows_mentioning(stack, [thread_id, reference]).values()) > 0
    with messaging_db(stack) as conn:
        row = conn.execute(
            "SELECT account_id, reference FROM reply_threads WHERE thread_id = %s", (thread_id,)
        ).fetchone()
    assert row == ("", reference)
