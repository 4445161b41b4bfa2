"""Who a message reaches and on which channels: messaging's domain rule, without a database."""

from __future__ import annotations

import pytest

from snp_messaging.domain.messages import Priority
from snp_messaging.domain.preferences import Preferences
from snp_messaging.domain.reach import Candidate, Reach, channels_for, reach


def test_a_member_without_preferences_gets_email_for_everything() -> None:
    for priority in Priority:
        assert reach(priority, [Candidate("a")]) == Reach(("a",), (("a", "email"),))


def test_every_chosen_channel_gets_a_delivery() -> None:
    both = Preferences(channels=("sms", "email"))
    assert reach(Priority.NORMAL, [Candidate("a", both)]).deliveries == (
        ("a", "sms"),
        ("a", "email"),
    )


def test_a_member_who_chose_no_channels_gets_the_inbox_only() -> None:
    inbox_only = Preferences(channels=())
    assert reach(Priority.URGENT, [Candidate("a", inbox_only)]) == Reach(("a",), ())


@pytest.mark.parametrize(
    ("minimum", "priority", "sent"),
    [
        (Priority.LOW, Priority.LOW, True),
        (Priority.HIGH, Priority.NORMAL, False),
        (Priority.HIGH, Priority.HIGH, True),
        (Priority.HIGH, Priority.URGENT, True),
        (Priority.URGENT, Priority.HIGH, False),
        (Priority.URGENT, Priority.URGENT, True),
    ],
)
def test_below_the_minimum_priority_it_reaches_the_inbox_but_is_not_sent(
    minimum: Priority, priority: Priority, sent: bool
) -> None:
    prefs = Preferences(channels=("email", "sms"), minimum_priority=minimum)
    reached = reach(priority, [Candidate("a", prefs)])
    assert reached.inbox == ("a",)
    assert reached.deliveries == ((("a", "email"), ("a", "sms")) if sent else ())
    assert channels_for(prefs, priority) == (("email", "sms") if sent else ())


def test_each_member_is_reached_once_and_each_channel_once() -> None:
    twice = Preferences(channels=("sms", "sms"))
    reached = reach(
        Priority.NORMAL,
        [Candidate("a", twice), Candidate("b"), Candidate("a", Preferences(channels=()))],
    )
    assert reached == Reach(("a", "b"), (("a", "sms"), ("b", "email")))


def test_an_audience_of_mixed_preferences() -> None:
    reached = reach(
        Priority.NORMAL,
        [
            Candidate("ivy", Preferences(channels=("email",), minimum_priority=Priority.URGENT)),
            Candidate("jon", Preferences(channels=())),
            Candidate("hal"),
            Candidate("kim", Preferences(channels=("sms",), areas=("W1",))),
        ],
    )
    assert reached.inbox == ("ivy", "jon", "hal", "kim")
    assert reached.deliveries == (("hal", "email"), ("kim", "sms"))


def test_no_members_reach_nobody() -> None:
    assert reach(Priority.URGENT, []) == Reach((), ())
