"""A message's deliveries over time as a column chart the page draws as inline SVG on the server
(no JavaScript), beside a table of the same figures: one column per interval from messaging's
timeline, stacked sent, failed and bounced, each as tall as its share of the busiest interval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

OUTCOMES = (("sent", "Sent"), ("failed", "Failed"), ("bounced", "Bounced"))
PLOT_HEIGHT = 160
PLOT_WIDTH = 480
AXIS = 40  # room on the left for the scale, and below for the times
COLUMN_MAX = 36


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    y: int
    height: int


@dataclass(frozen=True)
class Column:
    start: str  # ISO time, as messaging gave it
    x: int
    width: int
    total: int
    segments: tuple[Segment, ...]
    counts: Mapping[str, int]


@dataclass(frozen=True)
class TimelineChart:
    columns: tuple[Column, ...]
    interval_seconds: int
    largest: int
    width: int = AXIS + PLOT_WIDTH + 10
    height: int = PLOT_HEIGHT + AXIS
    plot_top: int = 10
    plot_bottom: int = PLOT_HEIGHT + 10
    left: int = AXIS

    @property
    def interval_words(self) -> str:
        minutes = self.interval_seconds // 60
        if minutes < 60:
            return "minute" if minutes == 1 else f"{minutes} minutes"
        hours = minutes // 60
        return "hour" if hours == 1 else ("day" if hours == 24 else f"{hours} hours")

    def totals(self) -> dict[str, int]:
        return {s: sum(c.counts[s] for c in self.columns) for s, _label in OUTCOMES}


def timeline_chart(timeline: Mapping[str, Any]) -> TimelineChart:
    """The chart of messaging's `timeline` ({interval_seconds, buckets: [{start, sent, failed,
    bounced}]}); an outcome messaging did not report counts 0."""
    buckets: Sequence[Mapping[str, Any]] = timeline.get("buckets") or []
    figures = [{s: max(0, int(b.get(s, 0))) for s, _l in OUTCOMES} for b in buckets]
    largest = max((sum(f.values()) for f in figures), default=0)
    slot = PLOT_WIDTH // max(1, len(buckets))
    width = max(2, min(COLUMN_MAX, slot - 2))
    columns = []
    for i, (bucket, counts) in enumerate(zip(buckets, figures, strict=True)):
        segments, top = [], PLOT_HEIGHT + 10
        for status, _label in OUTCOMES:
            n = counts[status]
            if not n:
                continue
            # A count above zero always shows (at least 2 px).
            height = max(2, round(PLOT_HEIGHT * n / largest))
            top -= height
            segments.append(Segment(status, n, top, height))
        columns.append(
            Column(
                str(bucket["start"]),
                AXIS + i * slot + (slot - width) // 2,
                width,
                sum(counts.values()),
                tuple(segments),
                counts,
            )
        )
    return TimelineChart(tuple(columns), int(timeline.get("interval_seconds") or 60), largest)
