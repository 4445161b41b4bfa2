"""Digests: a member who chose one gets messages below their threshold as one mail a day or
a week, at the time their force set (London time). Urgent messages never wait for one.

The digest at an occurrence lists what was held for the member before it and is not in an
earlier digest; what is held after it waits for the next. Covering is recorded with the
digest itself, so running the job twice at one occurrence sends nothing the second time, and
a message held while a digest was being recorded goes in the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from snp_messaging.domain.london import instant, local, parse_clock_time
from snp_messaging.domain.messages import MessageRuleBroken
from snp_messaging.domain.quiet_hours import QuietHours

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Cadence(StrEnum):
    NONE = "none"  # every message goes on its own
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class DigestSchedule:
    """The force's digest time: daily digests at `at`, weekly ones at `at` on `weekday`."""

    at: time = time(7, 0)
    weekday: str = "monday"

    def latest(self, cadence: Cadence, now: datetime) -> datetime:
        """The last instant at or before `now` when a digest of this cadence was due (UTC).
        Each London day has one, whatever the clocks do that day (23 or 25 hours apart)."""
        day = local(now).date()
        for back in range(8):
            candidate = day - timedelta(days=back)
            if cadence is Cadence.WEEKLY and WEEKDAYS[candidate.weekday()] != self.weekday:
                continue
            due = instant(candidate, self.at)
            if due <= now:
                return due
        raise AssertionError("a week always holds an occurrence")  # pragma: no cover


DEFAULT_SCHEDULE = DigestSchedule()


def digest_held_until(quiet_hours: QuietHours | None, now: datetime) -> datetime | None:
    """When a digest recorded at `now` is mailed: None for at once, else the end of the
    member's quiet hours. A digest is never urgent (it lists what could wait), so a force's
    digest time inside a member's night waits for their morning like any non-urgent mail;
    it is still recorded at its time, so what is held after it waits for the next one."""
    return None if quiet_hours is None else quiet_hours.held_until(now)


def check_schedule(at: str, weekday: str) -> DigestSchedule:
    """The schedule, or MessageRuleBroken listing every problem."""
    problems = []
    parsed = None
    try:
        parsed = parse_clock_time(at)
    except ValueError:
        problems.append(f"time {at!r} is not a time of day like 07:30")
    if weekday not in WEEKDAYS:
        problems.append(f"weekday {weekday!r} is not one of {', '.join(WEEKDAYS)}")
    if problems or parsed is None:
        raise MessageRuleBroken(problems)
    return DigestSchedule(parsed, weekday)
