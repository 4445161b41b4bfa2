"""Engagement events and registrations, decided from events: London times kept in UTC, UK
postcodes, moves that bump the calendar's SEQUENCE, cancellations, outcomes once, and
registrations that stand or not (exact event sequences)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain import events_schedule as schedule
from snp_engagement.domain import registrations
from snp_engagement.domain.events import event_type, parse_event
from snp_engagement.domain.events_places import Place, checked_place, normalised_postcode
from snp_engagement.domain.events_times import checked_times, london_text, utc_instant
from snp_engagement.domain.rules import InvalidInput, RuleBroken

NOW = int(datetime(2027, 3, 1, 12, tzinfo=UTC).timestamp())
START = int(datetime(2027, 3, 4, 18, 30, tzinfo=UTC).timestamp())
HALL = Place("Holy Cross church hall", "WC1H 9JE")


def details(**changes: Any) -> schedule.Details:
    fields: dict[str, Any] = {
        "kind": "safety_surgery",
        "title": "Safety surgery",
        "description": "Talk to your ward team.",
        "ward_codes": ("E05000138",),
        "starts_at": START,
        "ends_at": START + 3600,
        "place": HALL,
        "organising_agency": "Camden Council ASB team",
        "contact_role": "Ward sergeant",
    }
    return schedule.Details(**(fields | changes))


def scheduled(**changes: Any) -> tuple[schedule.EngagementEvent, list[Any]]:
    history: list[Any] = schedule.schedule("ev1", details(**changes), "police", "", "pc1", NOW)
    event = schedule.fold(history)
    assert event is not None
    return event, history


def test_london_wall_clock_times_are_kept_in_utc() -> None:
    # 4 March is GMT; 4 July is BST (UTC+1).
    assert utc_instant("2027-03-04T18:30", "start") == datetime(2027, 3, 4, 18, 30, tzinfo=UTC)
    assert utc_instant("2027-07-04T18:30", "start") == datetime(2027, 7, 4, 17, 30, tzinfo=UTC)
    assert utc_instant("2027-07-04T18:30+02:00", "start") == datetime(
        2027, 7, 4, 16, 30, tzinfo=UTC
    )
    assert london_text(int(datetime(2027, 7, 4, 17, 30, tzinfo=UTC).timestamp())) == (
        "Sun 4 July 2027, 18:30"
    )


def test_times_the_clocks_skip_or_repeat_are_refused_not_guessed() -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        utc_instant("2027-03-28T01:30", "start")  # clocks go forward at 01:00 UTC
    with pytest.raises(InvalidInput, match="twice"):
        utc_instant("2027-10-31T01:30", "start")  # and back at 02:00 BST
    assert utc_instant("2027-10-31T01:30+01:00", "start") == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )
    with pytest.raises(InvalidInput, match="not a date"):
        utc_instant("next Tuesday", "start")
    with pytest.raises(InvalidInput, match="years"):
        utc_instant("9999-12-31T23:59-12:00", "start")


def test_an_event_ends_after_it_starts_and_within_a_week() -> None:
    start = datetime(2027, 3, 4, 18, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="ends after it starts"):
        checked_times(start, start)
    with pytest.raises(InvalidInput, match="7 days"):
        checked_times(start, datetime(2027, 3, 12, 18, tzinfo=UTC))
    assert checked_times(start, datetime(2027, 3, 4, 19, tzinfo=UTC)) == (
        int(start.timestamp()),
        int(start.timestamp()) + 3600,
    )


def test_an_event_may_end_on_a_later_day_across_the_clocks_going_back() -> None:
    # An engagement weekend: Saturday 24 October 2026 10:00 BST to Sunday 25th 16:00 GMT
    # (the clocks go back at 02:00 BST on the Sunday): 31 hours of real time.
    starts = utc_instant("2026-10-24T10:00", "the start")
    ends = utc_instant("2026-10-25T16:00", "the end")
    assert (starts, ends) == (
        datetime(2026, 10, 24, 9, tzinfo=UTC),
        datetime(2026, 10, 25, 16, tzinfo=UTC),
    )
    start_s, end_s = checked_times(starts, ends)
    assert end_s - start_s == 31 * 3600
    assert london_text(end_s) == "Sun 25 October 2026, 16:00"


def test_the_week_is_londons_clock_when_the_clocks_change() -> None:
    # Seven days on the poster is 7 days and 1 hour of real time across the autumn change,
    # and 6 days 23 hours across the spring one: both are a week.
    autumn = utc_instant("2026-10-24T10:00", "the start")
    assert checked_times(autumn, utc_instant("2026-10-31T10:00", "the end"))
    with pytest.raises(InvalidInput, match="7 days"):
        checked_times(autumn, utc_instant("2026-10-31T10:01", "the end"))
    spring = utc_instant("2027-03-27T10:00", "the start")
    assert checked_times(spring, utc_instant("2027-04-03T10:00", "the end"))
    with pytest.raises(InvalidInput, match="7 days"):
        checked_times(spring, utc_instant("2027-04-03T10:01", "the end"))


def test_uk_postcodes_are_normalised_and_others_refused() -> None:
    assert normalised_postcode("wc1h9je") == "WC1H 9JE"
    assert normalised_postcode(" EC2V  7HH ") == "EC2V 7HH"
    assert normalised_postcode("gir0aa") == "GIR 0AA"
    for bad in ("12345", "WC1H 9J", "QC1H 9JE", "WC1H 9JEE", "SW1A 1AAA"):
        with pytest.raises(InvalidInput, match="postcode"):
            normalised_postcode(bad)


def test_a_place_is_somewhere_or_to_be_confirmed() -> None:
    assert checked_place("", "", True) == Place("", "", True)
    assert checked_place(" Hall ", "wc1h 9je", False) == Place("Hall", "WC1H 9JE")
    with pytest.raises(InvalidInput, match="to be confirmed"):
        checked_place("  ", "", False)
    with pytest.raises(InvalidInput, match="500"):
        checked_place("x" * 501, "", False)


def test_scheduling_records_the_event_with_its_wards_once() -> None:
    _event, history = scheduled(ward_codes=("E05000138", "E05000139", "E05000138"))
    assert [type(e) for e in history] == [pb.EventScheduled]
    first = history[0]
    assert list(first.ward_codes) == ["E05000138", "E05000139"]
    assert (first.starts_at, first.ends_at, first.agency) == (START, START + 3600, "police")
    assert first.place == pb.EventPlace(text="Holy Cross church hall", postcode="WC1H 9JE")
    again = parse_event(event_type(first), first.SerializeToString())
    assert again == first


def test_scheduling_refuses_unknown_kinds_no_wards_no_agency_and_the_past() -> None:
    with pytest.raises(InvalidInput, match="kind"):
        schedule.schedule("ev", details(kind="party"), "police", "", "pc1", NOW)
    with pytest.raises(InvalidInput, match="wards"):
        schedule.schedule("ev", details(ward_codes=()), "police", "", "pc1", NOW)
    with pytest.raises(InvalidInput, match="agency"):
        schedule.schedule("ev", details(), "", "", "pc1", NOW)
    with pytest.raises(InvalidInput, match="before it ends"):
        schedule.schedule("ev", details(), "police", "", "pc1", START + 3600)


def test_each_move_bumps_the_sequence_and_no_change_records_nothing() -> None:
    event, history = scheduled()
    assert schedule.move(event, (START, START + 3600), HALL, "pc1", NOW) == []
    later = (START + 7200, START + 10800)
    moved: list[Any] = schedule.move(event, later, HALL, "pc1", NOW)
    assert [(m.starts_at, m.ends_at, m.sequence) for m in moved] == [(*later, 1)]
    after = schedule.fold(history + moved)
    assert after is not None
    tbc = Place("", "", True)
    moved_again: list[Any] = schedule.move(after, later, tbc, "pc1", NOW)
    assert [(m.sequence, m.place.to_be_confirmed) for m in moved_again] == [(2, True)]


def test_a_cancelled_or_finished_event_cannot_move() -> None:
    event, history = scheduled()
    cancelled: list[Any] = schedule.cancel(event, "Hall flooded", "pc1", NOW)
    assert [(c.reason, c.sequence) for c in cancelled] == [("Hall flooded", 1)]
    gone = schedule.fold(history + cancelled)
    assert gone is not None and gone.cancelled
    assert schedule.cancel(gone, "again", "pc1", NOW) == []
    with pytest.raises(RuleBroken, match="cancelled"):
        schedule.move(gone, (START + 60, START + 3660), HALL, "pc1", NOW)
    with pytest.raises(RuleBroken, match="over"):
        schedule.move(event, (START + 60, START + 3660), HALL, "pc1", START + 3600)
    with pytest.raises(InvalidInput, match="still to come"):
        schedule.move(event, (NOW - 7200, NOW - 3600), HALL, "pc1", NOW)


def test_the_outcome_is_recorded_once_after_the_event_starts() -> None:
    event, history = scheduled()
    issues, actions = ["Cycling on the pavement", " "], [("Patrols on Elm Road", "prio-1")]
    with pytest.raises(RuleBroken, match="taken place"):
        schedule.record_outcome(event, issues, actions, "pc1", NOW)
    recorded: list[Any] = schedule.record_outcome(event, issues, actions, "pc1", START + 60)
    assert list(recorded[0].issues_raised) == ["Cycling on the pavement"]
    assert list(recorded[0].actions_agreed) == [
        pb.AgreedAction(description="Patrols on Elm Road", priority_id="prio-1")
    ]
    done = schedule.fold(history + recorded)
    assert done is not None
    with pytest.raises(RuleBroken, match="already"):
        schedule.record_outcome(done, issues, actions, "pc1", START + 60)
    with pytest.raises(InvalidInput, match="names an issue"):
        schedule.record_outcome(event, [" "], [], "pc1", START + 60)


def test_the_attendance_is_a_count_or_not_said() -> None:
    event, _ = scheduled()
    issues, after = ["Cycling on the pavement"], START + 60
    [counted] = schedule.record_outcome(event, issues, [], "pc1", after, attendance=23)
    assert isinstance(counted, pb.EventOutcomeRecorded)
    assert counted.HasField("attendance") and counted.attendance == 23
    [nobody] = schedule.record_outcome(event, issues, [], "pc1", after, attendance=0)
    assert isinstance(nobody, pb.EventOutcomeRecorded) and nobody.HasField("attendance")
    [unsaid] = schedule.record_outcome(event, issues, [], "pc1", after)
    assert isinstance(unsaid, pb.EventOutcomeRecorded) and not unsaid.HasField("attendance")
    # It travels in the event: a count of none is not lost as proto3's default.
    back = parse_event(event_type(nobody), nobody.SerializeToString())
    assert isinstance(back, pb.EventOutcomeRecorded) and back.HasField("attendance")
    for wrong in (-1, schedule.MAX_ATTENDANCE + 1):
        with pytest.raises(InvalidInput, match="attendance"):
            schedule.record_outcome(event, issues, [], "pc1", after, attendance=wrong)


def test_registering_twice_or_withdrawing_twice_records_once() -> None:
    event, _ = scheduled()
    first: list[Any] = registrations.register(event, "m1", False, NOW)
    assert first == [pb.InterestRegistered(event_id="ev1", account_id="m1")]
    assert registrations.registered(first)
    assert registrations.register(event, "m1", True, NOW) == []
    gone: list[Any] = registrations.withdraw(event, "m1", True)
    assert gone == [pb.InterestWithdrawn(event_id="ev1", account_id="m1")]
    assert not registrations.registered(first + gone)
    assert registrations.withdraw(event, "m1", False) == []


def test_a_cancelled_or_finished_event_takes_no_registrations() -> None:
    event, history = scheduled()
    with pytest.raises(RuleBroken, match="over"):
        registrations.register(event, "m1", False, START + 3600)
    gone = schedule.fold(history + schedule.cancel(event, "", "pc1", NOW))
    assert gone is not None
    with pytest.raises(RuleBroken, match="cancelled"):
        registrations.register(gone, "m1", False, NOW)
