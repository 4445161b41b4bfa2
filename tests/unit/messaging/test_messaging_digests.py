"""Digests and quiet hours: the scheduling rules on London's clock (GMT in winter, BST in
summer, and the two days a year the clocks change), the preferences' checks, and what the
fan-out makes of them, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from snp_messaging.adapters.digests import HeldMessage
from snp_messaging.domain.digests import Cadence, DigestSchedule, check_schedule, digest_held_until
from snp_messaging.domain.messages import MessageRuleBroken, Priority
from snp_messaging.domain.preferences import Preferences, Timing, check_preferences
from snp_messaging.domain.quiet_hours import QuietHours
from snp_messaging.domain.reach import Candidate, reach
from snp_messaging.service_layer import digest_schedule
from snp_messaging.service_layer.context import InvalidInput
from snp_messaging.service_layer.digest_mail import digest_body, digest_subject
from snp_platform.eventstore import EventMetadata
from snp_platform.opa import Decision
from snp_platform.problems import Problem
from snp_platform.testing import FakePolicyClient
from tests.unit.messaging.test_messaging_alert_governance import _context, _police

# 2026: the clocks go forward at 01:00 UTC on 29 March and back at 01:00 UTC on 25 October.
NIGHT = QuietHours(time(22, 0), time(7, 0))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- quiet hours ---------------------------------------------------------------------------


def test_a_night_window_holds_until_seven_london_time_in_winter_and_summer() -> None:
    # Winter: London is UTC. 23:30 is in the window; it ends at 07:00 the next morning.
    assert NIGHT.held_until(utc(2026, 1, 10, 23, 30)) == utc(2026, 1, 11, 7, 0)
    # Summer: London is UTC+1. 22:30 UTC is 23:30 BST; 07:00 BST is 06:00 UTC.
    assert NIGHT.held_until(utc(2026, 7, 10, 22, 30)) == utc(2026, 7, 11, 6, 0)
    # After midnight, the window ends the same morning.
    assert NIGHT.held_until(utc(2026, 7, 11, 3, 0)) == utc(2026, 7, 11, 6, 0)


def test_outside_the_window_nothing_is_held_and_its_edges_are_start_in_end_out() -> None:
    assert NIGHT.held_until(utc(2026, 1, 10, 12, 0)) is None
    assert NIGHT.held_until(utc(2026, 1, 10, 22, 0)) == utc(2026, 1, 11, 7, 0)
    assert NIGHT.held_until(utc(2026, 1, 11, 7, 0)) is None
    # 21:30 UTC in summer is 22:30 BST: inside, though UTC says it is before 22:00.
    assert NIGHT.held_until(utc(2026, 7, 10, 21, 30)) == utc(2026, 7, 11, 6, 0)


def test_the_night_the_clocks_go_forward_ends_at_seven_bst() -> None:
    # 23:00 GMT on 28 March; the morning of the 29th is BST, so 07:00 there is 06:00 UTC.
    assert NIGHT.held_until(utc(2026, 3, 28, 23, 0)) == utc(2026, 3, 29, 6, 0)


def test_the_night_the_clocks_go_back_ends_at_seven_gmt() -> None:
    # 22:30 UTC on 24 October is 23:30 BST; the morning of the 25th is GMT: 07:00 UTC.
    assert NIGHT.held_until(utc(2026, 10, 24, 22, 30)) == utc(2026, 10, 25, 7, 0)


def test_a_daytime_window_does_not_run_over_midnight() -> None:
    lunch = QuietHours(time(12, 0), time(14, 0))
    assert lunch.held_until(utc(2026, 1, 10, 13, 0)) == utc(2026, 1, 10, 14, 0)
    assert lunch.held_until(utc(2026, 1, 10, 23, 0)) is None


def test_urgent_messages_are_never_held_and_the_others_are() -> None:
    prefs = Preferences(quiet_hours=NIGHT)
    at = utc(2026, 1, 10, 23, 30)
    assert prefs.held_until(Priority.URGENT, at) is None
    for priority in (Priority.LOW, Priority.NORMAL, Priority.HIGH):
        assert prefs.held_until(priority, at) == utc(2026, 1, 11, 7, 0)
    assert Preferences().held_until(Priority.LOW, at) is None


# --- the digest's time ---------------------------------------------------------------------


def test_a_daily_digest_is_due_at_the_forces_time_on_londons_clock() -> None:
    seven = DigestSchedule(time(7, 0))
    # Winter: 07:00 London = 07:00 UTC; before it, yesterday's was the last.
    assert seven.latest(Cadence.DAILY, utc(2026, 1, 10, 7, 0)) == utc(2026, 1, 10, 7, 0)
    assert seven.latest(Cadence.DAILY, utc(2026, 1, 10, 6, 59)) == utc(2026, 1, 9, 7, 0)
    # Summer: 07:00 BST = 06:00 UTC.
    assert seven.latest(Cadence.DAILY, utc(2026, 7, 10, 6, 30)) == utc(2026, 7, 10, 6, 0)


def test_across_the_spring_change_the_digest_keeps_the_wall_clock_time() -> None:
    seven = DigestSchedule(time(7, 0))
    before = seven.latest(Cadence.DAILY, utc(2026, 3, 28, 12, 0))
    after = seven.latest(Cadence.DAILY, utc(2026, 3, 29, 12, 0))
    assert (before, after) == (utc(2026, 3, 28, 7, 0), utc(2026, 3, 29, 6, 0))
    assert (after - before).total_seconds() == 23 * 3600  # a 23-hour day


def test_across_the_autumn_change_the_digest_keeps_the_wall_clock_time() -> None:
    seven = DigestSchedule(time(7, 0))
    before = seven.latest(Cadence.DAILY, utc(2026, 10, 24, 12, 0))
    after = seven.latest(Cadence.DAILY, utc(2026, 10, 25, 12, 0))
    assert (before, after) == (utc(2026, 10, 24, 6, 0), utc(2026, 10, 25, 7, 0))
    assert (after - before).total_seconds() == 25 * 3600  # a 25-hour day


def test_a_time_the_clocks_skip_comes_an_hour_later_and_a_doubled_one_once() -> None:
    half_one = DigestSchedule(time(1, 30))
    # 29 March: 01:30 does not exist; it is read as 01:30 GMT, i.e. 02:30 BST.
    assert half_one.latest(Cadence.DAILY, utc(2026, 3, 29, 12, 0)) == utc(2026, 3, 29, 1, 30)
    # 25 October: 01:30 happens twice; the digest is due at the first (00:30 UTC) only, so
    # a run at the second 01:30 (01:30 UTC) finds the same occurrence, not a new one.
    first = half_one.latest(Cadence.DAILY, utc(2026, 10, 25, 0, 45))
    second = half_one.latest(Cadence.DAILY, utc(2026, 10, 25, 1, 45))
    assert first == second == utc(2026, 10, 25, 0, 30)


def test_a_weekly_digest_is_due_on_the_forces_weekday() -> None:
    friday_eight = DigestSchedule(time(8, 0), "friday")
    # Wednesday 14 January 2026: the last Friday 08:00 was 9 January.
    assert friday_eight.latest(Cadence.WEEKLY, utc(2026, 1, 14, 12, 0)) == utc(2026, 1, 9, 8, 0)
    # Friday 16 January, 07:59: still the 9th; at 08:00, the 16th.
    assert friday_eight.latest(Cadence.WEEKLY, utc(2026, 1, 16, 7, 59)) == utc(2026, 1, 9, 8, 0)
    assert friday_eight.latest(Cadence.WEEKLY, utc(2026, 1, 16, 8, 0)) == utc(2026, 1, 16, 8, 0)
    # The week the clocks go forward: Friday 3 April 08:00 BST is 07:00 UTC.
    assert friday_eight.latest(Cadence.WEEKLY, utc(2026, 4, 4, 0, 0)) == utc(2026, 4, 3, 7, 0)


def test_the_forces_schedule_is_checked() -> None:
    assert check_schedule("18:30", "sunday") == DigestSchedule(time(18, 30), "sunday")
    with pytest.raises(MessageRuleBroken) as broken:
        check_schedule("25:00", "someday")
    assert len(broken.value.problems) == 2
    for bad in ("7:00", "07-00", "0700", "", "07:60"):
        with pytest.raises(MessageRuleBroken):
            check_schedule(bad, "monday")


# --- preferences ---------------------------------------------------------------------------


def _check(timing: Timing, channels: tuple[str, ...] = ("email",)) -> Preferences:
    return check_preferences(list(channels), [], Priority.LOW, set(), timing)


def test_a_digest_and_quiet_hours_are_taken_when_they_make_sense() -> None:
    prefs = _check(Timing("weekly", "high", "22:00", "07:00"))
    assert prefs.digest is Cadence.WEEKLY
    assert prefs.digest_below is Priority.HIGH
    assert prefs.quiet_hours == NIGHT
    assert _check(Timing()).quiet_hours is None


@pytest.mark.parametrize(
    ("timing", "channels", "fault"),
    [
        (Timing("hourly"), ("email",), "digest must be none, daily or weekly"),
        (Timing("daily", "low"), ("email",), "digest_below must be normal, high or urgent"),
        (Timing("daily", "loud"), ("email",), "unknown priority 'loud'"),
        (Timing("daily"), ("sms",), "a digest is an email"),
        (Timing(quiet_start="22:00"), ("email",), "quiet hours need a start and an end"),
        (Timing(quiet_start="22:00", quiet_end="24:00"), ("email",), "quiet hours need"),
        (Timing(quiet_start="22:00", quiet_end="22:00"), ("email",), "must end at another"),
    ],
)
def test_bad_digest_or_quiet_hours_are_refused_with_the_reason(
    timing: Timing, channels: tuple[str, ...], fault: str
) -> None:
    with pytest.raises(MessageRuleBroken) as broken:
        _check(timing, channels)
    assert any(fault in p for p in broken.value.problems), broken.value.problems


def test_every_fault_is_listed_at_once() -> None:
    with pytest.raises(MessageRuleBroken) as broken:
        check_preferences(["fax"], [], Priority.LOW, set(), Timing("daily", "low", "x", "y"))
    assert len(broken.value.problems) == 4  # channel, digest without email, threshold, quiet


def test_what_goes_to_the_digest_is_below_the_threshold_and_never_urgent() -> None:
    below_urgent = Preferences(digest=Cadence.DAILY, digest_below=Priority.URGENT)
    assert [p for p in Priority if below_urgent.for_digest(p)] == [
        Priority.LOW,
        Priority.NORMAL,
        Priority.HIGH,
    ]
    below_normal = Preferences(digest=Cadence.WEEKLY, digest_below=Priority.NORMAL)
    assert [p for p in Priority if below_normal.for_digest(p)] == [Priority.LOW]
    assert not any(Preferences(digest_below=Priority.URGENT).for_digest(p) for p in Priority)


# --- the fan-out ---------------------------------------------------------------------------


def test_the_fan_out_holds_for_the_digest_and_for_quiet_hours_and_sends_the_rest() -> None:
    at = utc(2026, 1, 10, 23, 30)
    digest = Candidate("d", Preferences(digest=Cadence.DAILY, digest_below=Priority.HIGH))
    quiet = Candidate("q", Preferences(channels=("email", "sms"), quiet_hours=NIGHT))
    plain = Candidate("p", Preferences())
    low = reach(Priority.LOW, [digest, quiet, plain], now=at)
    assert low.inbox == ("d", "q", "p")  # everyone's inbox at once
    assert low.digested == ("d",)
    assert low.held == (
        ("q", "email", utc(2026, 1, 11, 7, 0)),
        ("q", "sms", utc(2026, 1, 11, 7, 0)),
    )
    assert low.deliveries == (("p", "email"),)
    assert low.sends == 3
    urgent = reach(Priority.URGENT, [digest, quiet, plain], now=at)
    assert urgent.digested == () and urgent.held == ()
    assert urgent.deliveries == (("d", "email"), ("q", "email"), ("q", "sms"), ("p", "email"))


def test_below_the_minimum_priority_nothing_is_sent_nor_digested() -> None:
    picky = Preferences(minimum_priority=Priority.HIGH, digest=Cadence.DAILY)
    reached = reach(Priority.LOW, [Candidate("a", picky)], now=utc(2026, 1, 10, 12, 0))
    assert (reached.inbox, reached.deliveries, reached.digested) == (("a",), (), ())


# --- the digest's words --------------------------------------------------------------------


def test_the_digest_lists_each_message_with_sender_date_and_inbox_link() -> None:
    held = [
        HeldMessage(
            "m1", "Bins moved", "low", "chair of Elm Street Watch", "Met", utc(2026, 7, 1, 9)
        ),
        HeldMessage("m2", "Fete", "normal", "police officer", "Met", utc(2026, 7, 2, 23, 30)),
    ]
    text = digest_body(Cadence.DAILY, held, "https://portal.example/")
    assert "1. Bins moved" in text and "2. Fete" in text
    assert "From chair of Elm Street Watch, Met, 1 July 2026 at 10:00" in text  # BST
    assert "From police officer, Met, 3 July 2026 at 00:30" in text  # the London date
    assert "https://portal.example/inbox/m1" in text and "https://portal.example/inbox/m2" in text
    assert digest_subject(Cadence.WEEKLY, 1) == "Your weekly digest: 1 message"
    assert digest_subject(Cadence.DAILY, 3) == "Your daily digest: 3 messages"


# --- the force's schedule, as far as it goes without PostgreSQL ------------------------------


def test_the_digest_schedule_is_asked_of_the_policy_and_bad_input_stops_before_the_database() -> (
    None
):
    refusing = FakePolicyClient(
        lambda _s, _a, _r: Decision(False, ("action_not_allowed_for_kind",))
    )
    with pytest.raises(Problem) as refused:
        digest_schedule.set_digest_schedule(
            _context(refusing), _police(), "08:00", "friday", EventMetadata(actor="pc1")
        )
    assert refused.value.status == 403  # and the unopened pool was never reached
    schedule = {"type": "digest_schedule", "id": "met", "tenant": "met"}
    assert [(a.input["action"], a.input["resource"]) for a in refusing.asked] == [
        ("messaging.digest_schedule.manage", schedule)
    ]
    allowing = FakePolicyClient(table={"messaging.digest_schedule.manage": True})
    with pytest.raises(InvalidInput) as invalid:
        digest_schedule.set_digest_schedule(
            _context(allowing), _police("tenant_admin"), "8pm", "caturday", EventMetadata(actor="a")
        )
    assert len(invalid.value.problems) == 2


# A digest's mail and the member's quiet hours: held to their end, on London's clock.
LATE_RISER = QuietHours(time(22, 0), time(8, 0))


def test_a_digest_due_in_quiet_hours_waits_for_their_end_in_winter_on_gmt() -> None:
    due = DigestSchedule(time(7, 0)).latest(Cadence.DAILY, utc(2026, 1, 12, 7, 0))
    assert due == utc(2026, 1, 12, 7, 0)
    assert digest_held_until(LATE_RISER, due) == utc(2026, 1, 12, 8, 0)


def test_a_digest_due_in_quiet_hours_waits_for_their_end_in_summer_on_bst() -> None:
    due = DigestSchedule(time(7, 0)).latest(Cadence.DAILY, utc(2026, 7, 6, 6, 0))
    assert due == utc(2026, 7, 6, 6, 0)  # 07:00 BST
    assert digest_held_until(LATE_RISER, due) == utc(2026, 7, 6, 7, 0)  # 08:00 BST


def test_on_the_days_the_clocks_change_the_digest_waits_to_the_local_end() -> None:
    # 29 March: 07:00 BST is 06:00 UTC, the end 08:00 BST is 07:00 UTC (the night an hour short).
    spring = DigestSchedule(time(7, 0)).latest(Cadence.DAILY, utc(2026, 3, 29, 6, 30))
    assert spring == utc(2026, 3, 29, 6, 0)
    assert digest_held_until(LATE_RISER, spring) == utc(2026, 3, 29, 7, 0)
    # 25 October: back on GMT, 07:00 is 07:00 UTC and the end 08:00 UTC.
    autumn = DigestSchedule(time(7, 0)).latest(Cadence.DAILY, utc(2026, 10, 25, 7, 30))
    assert autumn == utc(2026, 10, 25, 7, 0)
    assert digest_held_until(LATE_RISER, autumn) == utc(2026, 10, 25, 8, 0)


def test_a_digest_outside_quiet_hours_or_without_them_goes_at_once() -> None:
    assert digest_held_until(NIGHT, utc(2026, 1, 12, 7, 0)) is None  # the night ended at 07:00
    assert digest_held_until(None, utc(2026, 1, 12, 3, 0)) is None
    # A force's evening digest inside a member's night waits to the next morning.
    assert digest_held_until(NIGHT, utc(2026, 7, 6, 21, 30)) == utc(2026, 7, 7, 6, 0)
