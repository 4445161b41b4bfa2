"""The log's growth over time as a line the page draws as inline SVG on the server (no
JavaScript), beside a table of the same figures: one point per signed checkpoint, across by
when it was signed, up by how many entries the log then held."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 12, 40  # room for the axes' labels


@dataclass(frozen=True)
class Point:
    signed_at: str  # as the checkpoint says it (RFC 3339, UTC)
    tree_size: int
    added: int  # entries since the checkpoint before it (0 for the first shown)
    x: float
    y: float


@dataclass(frozen=True)
class GrowthChart:
    points: tuple[Point, ...]
    largest: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def first(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def growth_chart(checkpoints: Sequence[Mapping[str, Any]]) -> GrowthChart:
    """The chart of `checkpoints` (audit's JSON, in any order), oldest on the left."""
    ordered = sorted(checkpoints, key=lambda c: int(c["tree_size"]))
    if not ordered:
        return GrowthChart((), 0)
    times = [_moment(str(c["signed_at"])).timestamp() for c in ordered]
    start, span = times[0], max(times[-1] - times[0], 1.0)
    largest = max(int(c["tree_size"]) for c in ordered)
    across, up = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    points: list[Point] = []
    previous: int | None = None
    for moment, checkpoint in zip(times, ordered, strict=True):
        size = int(checkpoint["tree_size"])
        # A single checkpoint sits in the middle; several spread across by time.
        x = LEFT + (across / 2 if len(ordered) == 1 else across * (moment - start) / span)
        y = TOP + up - (up * size / largest if largest else 0)
        added = 0 if previous is None else size - previous
        points.append(Point(str(checkpoint["signed_at"]), size, added, x, y))
        previous = size
    return GrowthChart(tuple(points), largest)
