"""Polls and ratings, the domain's part: what a poll may ask, which answers it takes (exact
events), and a rating's comment; and a draft's poll checked with the rest of the draft."""

from __future__ import annotations

import pytest

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.domain import feedback as rules
from snp_messaging.domain.feedback import AlreadyAnswered, PollDraft, PollRuleBroken
from snp_messaging.domain.messages import (
    Audience,
    AudienceType,
    Draft,
    MessageRuleBroken,
    MessageType,
    Priority,
    check_draft,
)

SINGLE = PollDraft("Which night suits?", ("Monday", "Tuesday", "Wednesday"))
MULTIPLE = PollDraft("Which priorities?", ("Speeding", "Litter", "Burglary"), multiple=True)


def draft(poll: PollDraft | None) -> Draft:
    audience = Audience(AudienceType.GROUP, "g1")
    return Draft("Meeting", "When?", MessageType.GENERAL, Priority.NORMAL, audience, (), poll)


def test_a_poll_is_trimmed_and_its_blank_lines_dropped() -> None:
    checked = rules.check_poll(PollDraft("  Which night?  ", (" Monday ", "", "  ", "Friday")))
    assert checked == PollDraft("Which night?", ("Monday", "Friday"), False)
    assert check_draft(draft(PollDraft("Q", ("a", "b"), True))).poll == PollDraft(
        "Q", ("a", "b"), True
    )


@pytest.mark.parametrize(
    ("poll", "problem"),
    [
        (PollDraft(" ", ("a", "b")), "poll question must not be empty"),
        (PollDraft("q" * 301, ("a", "b")), "poll question is longer than 300 characters"),
        (PollDraft("Q", ("only one", " ")), "a poll has 2 to 10 options"),
        (PollDraft("Q", tuple(str(i) for i in range(11))), "a poll has 2 to 10 options"),
        (PollDraft("Q", ("a", "x" * 121)), "a poll option is longer than 120 characters"),
        (PollDraft("Q", ("Yes", "yes ")), "a poll option is listed twice"),
    ],
)
def test_a_poll_that_breaks_a_rule_is_refused_with_the_draft(poll: PollDraft, problem: str) -> None:
    with pytest.raises(PollRuleBroken) as refused:
        rules.check_poll(poll)
    assert refused.value.problems == [problem]
    with pytest.raises(MessageRuleBroken) as broken:
        check_draft(draft(poll))
    assert broken.value.problems == [problem]


def test_the_poll_goes_on_the_message_stream_as_composed() -> None:
    assert rules.attached("m1", MULTIPLE) == pb.PollAttached(
        message_id="m1",
        poll=pb.Poll(
            question="Which priorities?", options=["Speeding", "Litter", "Burglary"], multiple=True
        ),
    )


def test_an_answer_is_its_choices_in_order() -> None:
    assert rules.answer(MULTIPLE, False, "m1", "acct", [2, 0]) == pb.PollAnswered(
        message_id="m1", account_id="acct", choices=[0, 2]
    )
    assert rules.answer(SINGLE, False, "m1", "acct", [1]).choices == [1]


@pytest.mark.parametrize(
    ("poll", "choices", "problems"),
    [
        (SINGLE, [], ["choose at least one option"]),
        (SINGLE, [3], ["unknown option: choose one of the poll's options"]),
        (SINGLE, [-1], ["unknown option: choose one of the poll's options"]),
        (SINGLE, [0, 1], ["this poll takes one choice only"]),
        (MULTIPLE, [1, 1], ["an option is chosen twice"]),
        (None, [0], ["the message has no poll"]),
    ],
)
def test_a_bad_answer_is_refused(
    poll: PollDraft | None, choices: list[int], problems: list[str]
) -> None:
    with pytest.raises(PollRuleBroken) as refused:
        rules.answer(poll, False, "m1", "acct", choices)
    assert refused.value.problems == problems


def test_a_second_answer_is_refused_however_good() -> None:
    with pytest.raises(AlreadyAnswered):
        rules.answer(SINGLE, True, "m1", "acct", [0])


def test_a_rating_keeps_its_comment_trimmed_and_refuses_a_long_one() -> None:
    assert rules.rated("m1", "acct", False, "  too vague \n") == pb.MessageRated(
        message_id="m1", account_id="acct", useful=False, comment="too vague"
    )
    assert rules.rated("m1", "acct", True, "").comment == ""
    with pytest.raises(PollRuleBroken) as refused:
        rules.rated("m1", "acct", True, "x" * 1001)
    assert refused.value.problems == ["comment is longer than 1000 characters"]
