"""A poll's results as a bar chart the page draws as inline SVG on the server (no JavaScript),
beside a table of the same figures: one row per option in the poll's order, its label above
its bar, each bar as long as its share of the most chosen option."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

BAR_SPACE = 360  # the longest bar
ROW_HEIGHT = 48
BAR_HEIGHT = 20
LABEL_CHARACTERS = 60  # a longer option is cut short in the chart; the table has it whole


@dataclass(frozen=True)
class OptionBar:
    choice: int
    label: str
    count: int
    y: int
    width: int


@dataclass(frozen=True)
class PollChart:
    bars: tuple[OptionBar, ...]
    answered: int
    width: int = BAR_SPACE + 60
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def poll_chart(options: Sequence[Mapping[str, Any]], answered: int) -> PollChart:
    """The chart of messaging's poll results (`options`: `{choice, text, count}` each)."""
    largest = max((int(o["count"]) for o in options), default=0)
    bars = tuple(
        OptionBar(
            int(o["choice"]),
            _short(str(o["text"])),
            int(o["count"]),
            y=i * ROW_HEIGHT + 2,
            # A count above zero always shows (at least 2 px); zero shows no bar at all.
            width=max(2, round(BAR_SPACE * int(o["count"]) / largest))
            if o["count"] and largest
            else 0,
        )
        for i, o in enumerate(options)
    )
    return PollChart(bars, answered)
