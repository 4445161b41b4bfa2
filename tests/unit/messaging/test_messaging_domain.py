"""Messaging's pure domain: drafts, preferences, delivery outcomes, how a sender is introduced."""

from __future__ import annotations

import pytest

from snp_messaging.domain.deliveries import Attempt, Status, Verdict, after_attempt
from snp_messaging.domain.messages import (
    Audience,
    AudienceType,
    Draft,
    MessageRuleBroken,
    MessageType,
    Priority,
    check_draft,
    sender_role,
)
from snp_messaging.domain.preferences import Preferences, check_preferences


def draft(**changes: object) -> Draft:
    values: dict[str, object] = {
        "subject": " Bikes ",
        "body": " Lock them. ",
        "message_type": MessageType.CRIME_UPDATE,
        "priority": Priority.NORMAL,
        "audience": Audience(AudienceType.GROUP, "g1"),
    }
    values.update(changes)
    return Draft(**values)  # type: ignore[arg-type]


def test_a_draft_is_trimmed_and_kept() -> None:
    checked = check_draft(draft())
    assert (checked.subject, checked.body) == ("Bikes", "Lock them.")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"body": "  \n "}, "body must not be empty"),
        ({"subject": ""}, "subject must not be empty"),
        ({"subject": "x" * 201}, "subject is longer than 200 characters"),
        ({"body": "x" * 20_001}, "body is longer than 20000 characters"),
        (
            {"message_type": MessageType.DOCUMENT},
            "document notifications come from forwarded documents only",
        ),
        (
            {"audience": Audience(AudienceType.EVENT, "e1")},
            "an event's registrants are told by the event's own changes",
        ),
        ({"attachment_ids": ("a", "a")}, "an attachment is listed twice"),
    ],
)
def test_a_bad_draft_names_its_problem(changes: dict[str, object], problem: str) -> None:
    with pytest.raises(MessageRuleBroken) as refused:
        check_draft(draft(**changes))
    assert refused.value.problems == [problem]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(MessageRuleBroken) as refused:
        check_draft(draft(subject=" ", body=""))
    assert refused.value.problems == ["subject must not be empty", "body must not be empty"]


def test_priorities_are_ordered_and_preferences_filter_by_them() -> None:
    assert [p.rank for p in Priority] == [0, 1, 2, 3]
    only_urgent = Preferences(minimum_priority=Priority.HIGH)
    assert not only_urgent.wants(Priority.NORMAL)
    assert only_urgent.wants(Priority.HIGH) and only_urgent.wants(Priority.URGENT)


def test_preferences_are_checked_against_known_wards_and_channels() -> None:
    prefs = check_preferences(["sms", "email", "sms"], ["W1", "W1"], Priority.LOW, {"W1"})
    assert prefs == Preferences(("sms", "email"), ("W1",), Priority.LOW)
    with pytest.raises(MessageRuleBroken) as refused:
        check_preferences(["fax"], ["W9"], Priority.LOW, {"W1"})
    assert refused.value.problems == ["unknown channel 'fax'", "unknown ward 'W9'"]
    assert check_preferences([], [], Priority.URGENT, set()).channels == ()  # inbox only


@pytest.mark.parametrize(
    ("verdict", "attempts", "status", "marks"),
    [
        (Verdict.SENT, 1, Status.SENT, False),
        (Verdict.BOUNCED, 1, Status.BOUNCED, True),
        (Verdict.FAILED, 1, Status.FAILED, True),
        (Verdict.RETRY, 1, Status.PENDING, False),
        (Verdict.RETRY, 4, Status.PENDING, False),
        (Verdict.RETRY, 5, Status.FAILED, True),  # the last allowed attempt
    ],
)
def test_outcomes_of_an_attempt(
    verdict: Verdict, attempts: int, status: Status, marks: bool
) -> None:
    after = after_attempt(Attempt(verdict), attempts, max_attempts=5, base_backoff=2, cap=300)
    assert (after.status, after.marks_contact) == (status, marks)


def test_retries_back_off_exponentially_up_to_a_cap() -> None:
    waits = [
        after_attempt(Attempt(Verdict.RETRY), n, 20, 2.0, 60.0).retry_in_seconds
        for n in range(1, 8)
    ]
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]


def test_a_sender_is_introduced_by_office_else_by_kind() -> None:
    assert sender_role("member", ["member", "vice_chair"], "Elm Watch") == "vice chair of Elm Watch"
    assert sender_role("police", [], "") == "police officer"
    assert sender_role("tenant_admin", [], "") == "force administrator"
    assert sender_role("police", ["member"], "Elm Watch") == "police officer"
