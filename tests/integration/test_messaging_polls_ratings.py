"""Polls and ratings against the running stack: a poll's counts are the answers its recipients
gave, a second answer is refused and changes nothing, bad answers are problems that record
nothing, someone the message was not sent to can neither answer nor rate it (nor learn it
exists), ratings are counted (a later one replaces the earlier) with comments shown without
the rater, and only the sender and the message's team read the results."""

from __future__ import annotations

import os
import subprocess
from typing import Any

import httpx
import pytest

from tests.integration.messaging_helpers import (
    Force,
    Person,
    bearer,
    body_text,
    mails_to,
    member_token,
    new_police_officer,
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

POLL = {"question": "Which night suits the meeting?", "options": ["Monday", "Tuesday", "Friday"]}


def tokens(identity: httpx.Client, force: dict[str, Any]) -> dict[str, str]:
    made: Force = force["force"]
    people: dict[str, Person] = force["people"]
    return {n: member_token(identity, made, p) for n, p in people.items()}


def answer(messaging: httpx.Client, token: str, message_id: str, choices: list[int]) -> Any:
    return messaging.post(
        f"/inbox/{message_id}/poll-answer", headers=bearer(token), json={"choices": choices}
    )


def results(messaging: httpx.Client, token: str, message_id: str) -> dict[str, Any]:
    found = messaging.get(f"/messages/{message_id}/feedback", headers=bearer(token))
    assert found.status_code == 200, found.text
    body: dict[str, Any] = found.json()
    return body


def counts(poll: dict[str, Any]) -> list[int]:
    return [o["count"] for o in poll["options"]]


def events_of(stack: Any, event_type: str, message_id: str) -> int:
    with messaging_db(stack) as conn:
        row = conn.execute(
            "SELECT count(*) FROM events WHERE event_type = %s AND stream_id LIKE %s",
            (event_type, f"%{message_id}%"),
        ).fetchone()
    return int(row[0]) if row else 0


def test_a_polls_counts_are_the_answers_given_and_a_second_answer_changes_nothing(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t = tokens(identity, force)
    sent = send(messaging, t["chair"], {"type": "group", "id": force["elm"]}, poll=POLL)
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]
    shown = messaging.get(f"/inbox/{message_id}", headers=bearer(t["ann"])).json()
    assert shown["poll"] == {**POLL, "multiple": False, "answer": None}
    for name, choice in (("ann", 0), ("bob", 1), ("cat", 1)):
        given = answer(messaging, t[name], message_id, [choice])
        assert given.status_code == 201, given.text
        assert given.json() == {"choices": [choice]}
    poll = results(messaging, t["chair"], message_id)["poll"]
    assert (counts(poll), poll["answered"]) == ([1, 2, 0], 3)
    assert [o["text"] for o in poll["options"]] == POLL["options"]

    again = answer(messaging, t["ann"], message_id, [2])
    assert again.status_code == 409, again.text
    assert again.json()["type"] == "urn:snp:problem:poll-already-answered"
    for bad, problem in (
        ([3], "unknown option: choose one of the poll's options"),
        ([0, 1], "this poll takes one choice only"),
        ([], "choose at least one option"),
    ):
        refused = answer(messaging, t["chair"], message_id, bad)
        assert refused.status_code == 422, refused.text
        assert refused.json()["type"] == "urn:snp:problem:invalid-input"
        assert {"message": problem} in refused.json()["errors"]
    poll = results(messaging, t["chair"], message_id)["poll"]
    assert (counts(poll), poll["answered"]) == ([1, 2, 0], 3)
    assert events_of(stack, "messaging.PollAnswered", message_id) == 3
    mine = messaging.get(f"/inbox/{message_id}", headers=bearer(t["ann"])).json()
    assert mine["poll"]["answer"] == [0]
    # The mail says there is a poll and where to answer it.
    wait_for_final(messaging, t["chair"], message_id, 4)
    ann = force["people"]["ann"]
    [mail] = [m for m in mails_to(stack.maildir, ann.email) if message_id in body_text(m)]
    assert "Answer it in your messages (sign in): " in body_text(mail)
    assert f"/inbox/{message_id}" in body_text(mail)


def test_a_multiple_choice_poll_counts_each_option_chosen(
    identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t = tokens(identity, force)
    made: Force = force["force"]
    priorities = {"question": "What matters most?", "options": ["Speeding", "Litter", "Burglary"]}
    sent = send(
        messaging,
        made.police.token,
        {"type": "group", "id": force["elm"]},
        poll={**priorities, "multiple": True},
    )
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]
    assert answer(messaging, t["ann"], message_id, [2, 0]).json() == {"choices": [0, 2]}
    assert answer(messaging, t["bob"], message_id, [0]).status_code == 201
    twice = answer(messaging, t["cat"], message_id, [1, 1])
    assert twice.status_code == 422, twice.text
    # The police alert's results are the force's police's and the group's officers'.
    for reader in (made.police.token, t["chair"]):
        poll = results(messaging, reader, message_id)["poll"]
        assert (counts(poll), poll["answered"]) == ([2, 0, 1], 2)
    assert (
        messaging.get(f"/messages/{message_id}/feedback", headers=bearer(t["ann"])).status_code
        == 403
    )


def test_a_bad_poll_sends_nothing_and_a_message_without_one_takes_no_answer(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t = tokens(identity, force)
    with messaging_db(stack) as conn:
        before = conn.execute("SELECT count(*) FROM messages").fetchone()
    bad = send(
        messaging,
        t["chair"],
        {"type": "group", "id": force["elm"]},
        poll={"question": " ", "options": ["Only one"]},
    )
    assert bad.status_code == 422, bad.text
    assert {e["message"] for e in bad.json()["errors"]} == {
        "poll question must not be empty",
        "a poll has 2 to 10 options",
    }
    with messaging_db(stack) as conn:
        assert conn.execute("SELECT count(*) FROM messages").fetchone() == before
    plain = send(messaging, t["chair"], {"type": "group", "id": force["elm"]})
    message_id = plain.json()["id"]
    refused = answer(messaging, t["ann"], message_id, [0])
    assert refused.status_code == 422, refused.text
    assert {"message": "the message has no poll"} in refused.json()["errors"]
    assert results(messaging, t["chair"], message_id)["poll"] is None


def test_someone_not_sent_the_message_can_neither_answer_nor_rate_it(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t = tokens(identity, force)
    made: Force = force["force"]
    sent = send(messaging, t["chair"], {"type": "group", "id": force["elm"]}, poll=POLL)
    message_id = sent.json()["id"]
    for outsider in (t["dan"], t["eve"], made.police.token):  # Oak Road's chair and member
        refused = answer(messaging, outsider, message_id, [0])
        assert refused.status_code == 404, refused.text  # as an unknown message: nothing leaks
        rated = messaging.put(
            f"/inbox/{message_id}/rating", headers=bearer(outsider), json={"useful": True}
        )
        assert rated.status_code == 404, rated.text
        read = messaging.get(f"/messages/{message_id}/feedback", headers=bearer(outsider))
        assert read.status_code == 403, read.text
    found = results(messaging, t["chair"], message_id)
    assert found["poll"]["answered"] == 0
    assert (found["ratings"]["useful"], found["ratings"]["not_useful"]) == (0, 0)
    assert events_of(stack, "messaging.PollAnswered", message_id) == 0
    assert events_of(stack, "messaging.MessageRated", message_id) == 0


def test_ratings_are_counted_a_later_one_replaces_and_comments_name_nobody(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t = tokens(identity, force)
    people: dict[str, Person] = force["people"]
    sent = send(messaging, t["chair"], {"type": "group", "id": force["elm"]})
    message_id = sent.json()["id"]

    def rate(name: str, useful: bool, comment: str = "") -> httpx.Response:
        return messaging.put(
            f"/inbox/{message_id}/rating",
            headers=bearer(t[name]),
            json={"useful": useful, "comment": comment},
        )

    first = rate("ann", True, "  Thanks, very clear.  ")
    assert first.status_code == 200, first.text
    assert first.json() == {"useful": True, "comment": "Thanks, very clear."}
    assert rate("bob", False, "Too late for us").status_code == 200
    assert rate("cat", True).status_code == 200
    assert rate("bob", True).status_code == 200  # bob changed his mind: it replaces his first
    too_long = rate("cat", False, "x" * 1001)
    assert too_long.status_code == 422, too_long.text
    ratings = results(messaging, t["chair"], message_id)["ratings"]
    assert (ratings["useful"], ratings["not_useful"]) == (3, 0)
    assert [c["comment"] for c in ratings["comments"]] == ["Thanks, very clear."]
    assert set(ratings["comments"][0]) == {"useful", "comment", "rated_at"}
    names = {p.account_id for p in people.values()} | {p.name for p in people.values()}
    assert not any(n in str(ratings) for n in names)
    assert events_of(stack, "messaging.MessageRated", message_id) == 4
    mine = messaging.get(f"/inbox/{message_id}", headers=bearer(t["bob"])).json()
    assert (mine["rating"]["useful"], mine["rating"]["comment"]) == (True, "")
    assert (
        messaging.get(f"/messages/{message_id}/feedback", headers=bearer(t["bob"])).status_code
        == 403
    )


def test_an_alert_that_waits_for_a_second_officer_keeps_its_poll(
    identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t = tokens(identity, force)
    made: Force = force["force"]
    rule = messaging.put(
        "/alerts/approval-rule",
        headers=bearer(made.admin.token),
        json={"approval_required": True},  # urgent alerts wait (this test's force only)
    )
    assert rule.status_code == 200, rule.text
    held = send(
        messaging,
        made.police.token,
        {"type": "group", "id": force["elm"]},
        priority="urgent",
        poll={"question": "Did you see the van?", "options": ["Yes", "No"]},
    )
    assert held.status_code == 202 and held.json()["status"] == "waiting", held.text
    alert_id = held.json()["id"]
    second = new_police_officer(identity, made, "PC Sam Okoro")
    approved = messaging.post(
        f"/alerts/held/{alert_id}/approve", headers=bearer(second.token), json={"reason": "ok"}
    )
    assert approved.status_code == 200, approved.text
    shown = messaging.get(f"/inbox/{alert_id}", headers=bearer(t["ann"])).json()
    assert shown["poll"]["question"] == "Did you see the van?"
    assert answer(messaging, t["ann"], alert_id, [0]).status_code == 201
    poll = results(messaging, second.token, alert_id)["poll"]  # the force's police read it
    assert (counts(poll), poll["answered"]) == ([1, 0], 1)


def test_rebuilding_the_poll_and_rating_tables_gives_the_same_rows(
    stack: Any, identity: httpx.Client, messaging: httpx.Client, force: dict[str, Any]
) -> None:
    t = tokens(identity, force)
    sent = send(messaging, t["chair"], {"type": "group", "id": force["elm"]}, poll=POLL)
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["id"]
    assert answer(messaging, t["ann"], message_id, [2]).status_code == 201
    for useful, comment in ((True, "first"), (False, "changed my mind")):
        rated = messaging.put(
            f"/inbox/{message_id}/rating",
            headers=bearer(t["bob"]),
            json={"useful": useful, "comment": comment},
        )
        assert rated.status_code < 300, rated.text

    def snapshot() -> dict[str, list[Any]]:
        with messaging_db(stack) as conn:
            return {
                "polls": conn.execute("SELECT * FROM polls ORDER BY message_id").fetchall(),
                "counts": conn.execute(
                    "SELECT * FROM poll_counts ORDER BY message_id, choice"
                ).fetchall(),
                "answers": conn.execute(
                    "SELECT * FROM poll_answers ORDER BY message_id, account_id"
                ).fetchall(),
                "ratings": conn.execute(
                    "SELECT * FROM message_ratings ORDER BY message_id, account_id"
                ).fetchall(),
                "events": conn.execute(
                    "SELECT count(*) FROM events WHERE event_type IN ('messaging.PollAttached',"
                    " 'messaging.PollAnswered', 'messaging.MessageRated')"
                ).fetchall(),
            }

    before = snapshot()
    assert before["ratings"] and before["answers"]
    env = {**os.environ, **stack.service_env("messaging")}
    done = subprocess.run(
        ["snp-messaging", "rebuild-feedback"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1].startswith("applied ")
    # The same rows, times included, and no event recorded.
    assert snapshot() == before
    shown = results(messaging, t["chair"], message_id)
    assert counts(shown["poll"]) == [0, 0, 1]
    assert (shown["ratings"]["useful"], shown["ratings"]["not_useful"]) == (0, 1)
