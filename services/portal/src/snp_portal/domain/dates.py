"""Dates and times as the pages say them: GOV.UK's style ("3 May 2026", "3 May 2026 at
4:05pm"), in UK time. The services answer in UTC; residents read the clock on their wall."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def _local(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK)


def day(iso: str) -> str:
    """`2026-05-03T23:30:00+00:00` as `4 May 2026` (in UK time it is already the 4th)."""
    moment = _local(iso)
    return f"{moment.day} {moment:%B %Y}"


def day_and_time(iso: str) -> str:
    """`2026-05-03T15:05:00+00:00` as `3 May 2026 at 4:05pm`; midnight and midday by name."""
    moment = _local(iso)
    if (moment.hour, moment.minute) == (0, 0):
        clock = "midnight"
    elif (moment.hour, moment.minute) == (12, 0):
        clock = "midday"
    else:
        clock = time_of_day(iso)
    return f"{day(iso)} at {clock}"


def time_of_day(iso: str) -> str:
    """`2026-05-03T15:05:00+00:00` as `4:05pm` (UK time)."""
    moment = _local(iso)
    return f"{moment.hour % 12 or 12}:{moment.minute:02d}{'am' if moment.hour < 12 else 'pm'}"
