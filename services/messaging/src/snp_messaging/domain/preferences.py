"""A member's messaging preferences: channels, areas opted into, minimum priority, a digest
for less important messages and quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from snp_messaging.domain.digests import Cadence
from snp_messaging.domain.london import parse_clock_time
from snp_messaging.domain.messages import MessageRuleBroken, Priority
from snp_messaging.domain.quiet_hours import QuietHours

CHANNELS = ("email", "sms")
MAX_AREAS = 50
# A digest holds messages below its threshold; urgent ones always go at once, so "below
# urgent" is the most a digest can hold and "below low" would hold nothing.
DIGEST_THRESHOLDS = (Priority.NORMAL, Priority.HIGH, Priority.URGENT)


@dataclass(frozen=True)
class Preferences:
    channels: tuple[str, ...] = ("email",)
    areas: tuple[str, ...] = ()
    minimum_priority: Priority = Priority.LOW
    digest: Cadence = Cadence.NONE
    digest_below: Priority = Priority.NORMAL
    quiet_hours: QuietHours | None = None

    def wants(self, priority: Priority) -> bool:
        """Whether a message of this priority goes out on the member's channels."""
        return priority.rank >= self.minimum_priority.rank

    def for_digest(self, priority: Priority) -> bool:
        """Whether a message of this priority waits for the member's digest instead."""
        return (
            self.digest is not Cadence.NONE
            and priority is not Priority.URGENT
            and priority.rank < self.digest_below.rank
        )

    def held_until(self, priority: Priority, now: datetime) -> datetime | None:
        """When a message sent at `now` may go out: None for at once (urgent ones always)."""
        if self.quiet_hours is None or priority is Priority.URGENT:
            return None
        return self.quiet_hours.held_until(now)


DEFAULT = Preferences()


@dataclass(frozen=True)
class Timing:
    """What the member's preferences make of the digest and quiet hours they asked for
    (all as given in a request: text, checked by check_preferences)."""

    digest: str = Cadence.NONE.value
    digest_below: str = Priority.NORMAL.value
    quiet_start: str = ""
    quiet_end: str = ""


def check_preferences(
    channels: list[str],
    areas: list[str],
    minimum_priority: Priority,
    known_wards: set[str],
    timing: Timing = Timing(),
) -> Preferences:
    """Valid preferences (deduplicated, in order), or MessageRuleBroken with every problem."""
    problems = [f"unknown channel {c!r}" for c in channels if c not in CHANNELS]
    problems += [f"unknown ward {a!r}" for a in areas if a not in known_wards]
    if len(set(areas)) > MAX_AREAS:
        problems.append(f"at most {MAX_AREAS} areas")
    cadence, below, quiet = _digest(timing, channels, problems), None, None
    try:
        below = Priority(timing.digest_below)
        if below not in DIGEST_THRESHOLDS:
            problems.append("digest_below must be normal, high or urgent")
    except ValueError:
        problems.append(f"unknown priority {timing.digest_below!r} for digest_below")
    quiet = _quiet_hours(timing, problems)
    if problems or cadence is None or below is None:
        raise MessageRuleBroken(problems)
    return Preferences(
        tuple(dict.fromkeys(channels)),
        tuple(dict.fromkeys(areas)),
        minimum_priority,
        cadence,
        below,
        quiet,
    )


def _digest(timing: Timing, channels: list[str], problems: list[str]) -> Cadence | None:
    try:
        cadence = Cadence(timing.digest)
    except ValueError:
        problems.append(f"digest must be none, daily or weekly, not {timing.digest!r}")
        return None
    if cadence is not Cadence.NONE and "email" not in channels:
        problems.append("a digest is an email: choose email to have one")
    return cadence


def _quiet_hours(timing: Timing, problems: list[str]) -> QuietHours | None:
    if not timing.quiet_start and not timing.quiet_end:
        return None
    try:
        start, end = parse_clock_time(timing.quiet_start), parse_clock_time(timing.quiet_end)
    except ValueError:
        problems.append("quiet hours need a start and an end like 22:00 and 07:00")
        return None
    if start == end:
        problems.append("quiet hours must end at another time than they start")
        return None
    return QuietHours(start, end)
