"""A ward's iCalendar feed, rendered from the events' rows and parsed back with `icalendar`:
stable UIDs, times in UTC, the SEQUENCE of moves, cancelled events marked so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar

from snp_engagement.adapters.events_calendar import event_uid, location, ward_calendar

START = datetime(2027, 7, 4, 17, 30, tzinfo=UTC)


def row(**changes: Any) -> dict[str, Any]:
    return {
        "event_id": "ev1",
        "kind": "womens_safety_walk",
        "title": "Women's safety walk",
        "description": "Meet at the station; we walk the route home.",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "place_text": "King's Cross station, main entrance",
        "postcode": "N1C 4AP",
        "place_tbc": False,
        "organising_agency": "Camden Council community safety team",
        "contact_role": "Community safety officer",
        "sequence": 0,
        "status": "scheduled",
        "changed_at": START - timedelta(days=3),
    } | changes


def parsed(*rows: dict[str, Any]) -> list[Any]:
    feed = icalendar.Calendar.from_ical(ward_calendar("Ward E05000139", rows))
    return list(feed.walk("VEVENT"))


def test_the_feed_parses_back_with_utc_times_and_a_stable_uid() -> None:
    feed = icalendar.Calendar.from_ical(ward_calendar("Ward E05000139", [row()]))
    assert str(feed["version"]) == "2.0" and str(feed["x-wr-calname"]) == "Ward E05000139"
    [vevent] = list(feed.walk("VEVENT"))
    assert str(vevent["uid"]) == event_uid("ev1") == "ev1@engagement.safer-neighbourhoods"
    assert vevent.decoded("dtstart") == START and vevent.decoded(
        "dtstart"
    ).utcoffset() == timedelta(0)
    assert vevent.decoded("dtend") == START + timedelta(hours=2)
    assert b"DTSTART:20270704T173000Z" in ward_calendar("w", [row()])
    assert str(vevent["location"]) == "King's Cross station, main entrance, N1C 4AP"
    assert "Organised by Camden Council" in str(vevent["description"])
    assert (int(str(vevent["sequence"])), str(vevent["status"])) == (0, "CONFIRMED")


def test_a_moved_event_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_says_so() -> None:
    moved = row(starts_at=START + timedelta(days=1), sequence=1)
    cancelled = row(event_id="ev2", sequence=2, status="cancelled")
    first, second = parsed(moved, cancelled)
    assert (str(first["uid"]), int(str(first["sequence"]))) == (event_uid("ev1"), 1)
    assert first.decoded("dtstart") == START + timedelta(days=1)
    assert (str(second["status"]), int(str(second["sequence"]))) == ("CANCELLED", 2)


def test_a_location_to_be_confirmed_says_so() -> None:
    assert location(row(place_text="", postcode="", place_tbc=True)) == "Location to be confirmed"
    assert location(row(postcode="", place_tbc=True)) == (
        "King's Cross station, main entrance (location to be confirmed)"
    )


def test_an_event_over_a_weekend_ends_on_its_later_day_across_the_clock_change() -> None:
    # Saturday 24 October 2026 10:00 BST (09:00 UTC) to Sunday 25th 16:00 GMT (16:00 UTC).
    starts, ends = datetime(2026, 10, 24, 9, tzinfo=UTC), datetime(2026, 10, 25, 16, tzinfo=UTC)
    feed = ward_calendar("w", [row(starts_at=starts, ends_at=ends, changed_at=starts)])
    assert b"DTSTART:20261024T090000Z" in feed and b"DTEND:20261025T160000Z" in feed
    [vevent] = parsed(row(starts_at=starts, ends_at=ends, changed_at=starts))
    assert vevent.decoded("dtend") - vevent.decoded("dtstart") == timedelta(hours=31)
