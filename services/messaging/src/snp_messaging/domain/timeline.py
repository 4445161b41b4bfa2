"""A message's deliveries over time: how many were sent, failed or bounced in each interval
since it was sent, decided without any I/O. The interval grows with the span so a chart has at
most MAX_BUCKETS bars, and every interval in the span is there, the empty ones as zeros."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

OUTCOMES = ("sent", "failed", "bounced")
# One minute, five, fifteen, an hour, six hours, a day: steps a reader counts in.
INTERVALS = (60, 300, 900, 3600, 21600, 86400)
MAX_BUCKETS = 60


@dataclass(frozen=True)
class Bucket:
    start: datetime
    counts: Mapping[str, int]


def interval_for(span: timedelta) -> int:
    """The shortest interval (seconds) that covers `span` in at most MAX_BUCKETS buckets."""
    seconds = max(0.0, span.total_seconds())
    for interval in INTERVALS:
        if seconds < interval * MAX_BUCKETS:
            return interval
    return INTERVALS[-1]


def timeline(
    sent_at: datetime, interval: int, counted: Iterable[tuple[int, str, int]]
) -> list[Bucket]:
    """Buckets from `sent_at`, one per interval up to the last one with an outcome.
    `counted` is (bucket index, status, deliveries); statuses other than OUTCOMES are left out
    (a pending or queued delivery has no outcome yet)."""
    found: dict[int, dict[str, int]] = {}
    for index, status, n in counted:
        if status in OUTCOMES and index >= 0:
            bucket = found.setdefault(index, dict.fromkeys(OUTCOMES, 0))
            bucket[status] += n
    last = max(found, default=0)
    step = timedelta(seconds=interval)
    return [
        Bucket(sent_at + i * step, found.get(i, dict.fromkeys(OUTCOMES, 0)))
        for i in range(last + 1)
    ]
