"""Quiet hours: a member's nightly window (London time) in which nothing but urgent messages
is mailed or texted; what falls in it waits until the window ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from snp_messaging.domain.london import instant, local


@dataclass(frozen=True)
class QuietHours:
    """From `start` up to (not including) `end`, London wall-clock times; a window that ends
    earlier in the day than it starts runs over midnight (22:00-07:00)."""

    start: time
    end: time

    def contains(self, now: datetime) -> bool:
        clock = local(now).time().replace(second=0, microsecond=0)
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def held_until(self, now: datetime) -> datetime | None:
        """When a message that would go out at `now` may go: the end of the window it falls
        in (an instant, UTC), or None when `now` is outside quiet hours."""
        if not self.contains(now):
            return None
        today = local(now)
        ends = instant(today.date(), self.end)
        if ends <= now:  # the window runs over midnight: it ends tomorrow
            ends = instant(today.date() + timedelta(days=1), self.end)
        return ends
