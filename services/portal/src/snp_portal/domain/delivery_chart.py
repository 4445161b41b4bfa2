"""A message's delivery counts as a bar chart the page draws as inline SVG on the server (no
JavaScript), beside a table of the same figures: one bar per status, in a fixed order, each
as long as its share of the largest count."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Messaging's delivery statuses, in the order a reader follows a delivery, and what they mean.
STATUSES = (
    ("sent", "Sent"),
    ("queued", "Being sent"),
    ("pending", "Waiting to be sent"),
    ("held", "Held for quiet hours"),  # the member's quiet hours: sent when they end
    ("failed", "Failed"),
    ("bounced", "Bounced"),
    ("skipped", "Skipped"),  # a follow-up's copy for an account closed since the original
)
LABEL_WIDTH = 170
BAR_SPACE = 250  # the longest bar
ROW_HEIGHT = 32
BAR_HEIGHT = 22


@dataclass(frozen=True)
class Bar:
    status: str
    label: str
    count: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    total: int
    width: int = LABEL_WIDTH + BAR_SPACE + 60
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4


def delivery_chart(counts: Mapping[str, int]) -> Chart:
    """The chart of `counts` (status -> deliveries); statuses messaging did not report are 0."""
    figures = [(status, label, max(0, int(counts.get(status, 0)))) for status, label in STATUSES]
    largest = max((n for _s, _l, n in figures), default=0)
    bars = tuple(
        Bar(
            status,
            label,
            n,
            y=i * ROW_HEIGHT + 2,
            # A count above zero always shows (at least 2 px); zero shows no bar at all.
            width=max(2, round(BAR_SPACE * n / largest)) if n and largest else 0,
        )
        for i, (status, label, n) in enumerate(figures)
    )
    return Chart(bars, sum(n for _s, _l, n in figures))
