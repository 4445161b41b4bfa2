"""The force's clock: every time a member or a force chooses is a wall-clock time in London,
which moves between GMT and BST twice a year."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def parse_clock_time(text: str) -> time:
    """ "HH:MM" (24-hour) as a time, or ValueError."""
    hours, sep, minutes = text.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(f"{text!r} is not a time like 07:30")
    return time(int(hours), int(minutes))  # ValueError beyond 23:59


def clock_text(at: time) -> str:
    return at.strftime("%H:%M")


def instant(day: date, at: time) -> datetime:
    """The UTC instant London's clocks read `at` on `day`. A time the clocks skip in March
    (01:00-01:59) is read with the winter offset, so it comes an hour later by the summer
    clock (01:30 is 02:30 BST); a time they show twice in October is its first showing."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def local(now: datetime) -> datetime:
    """`now` (an aware instant) on London's clock."""
    return now.astimezone(LONDON)
