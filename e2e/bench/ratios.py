"""A benchmark's figure beside the limit measured on the same machine in the same run, the
ratio between them, and the goal; and the one table `make bench` ends with.

An absolute figure means little on its own here: the disk alone differs tenfold from one of
our machines to the next. The ratio to what the machine can do at best (pgbench, Kafka's own
producer, `opa bench`, a bare hash or cipher) is what a change should move.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    """What a figure should reach: a bound on its ratio to the limit, or on the figure itself."""

    bound: float
    on_ratio: bool
    at_least: bool  # True: the value must reach the bound; False: stay at or under it
    text: str

    def met(self, figure: Figure) -> bool | None:
        """Whether the figure meets the goal; None when what it bounds was not measured."""
        value = figure.ratio if self.on_ratio else figure.value
        if value is None:
            return None
        return value >= self.bound if self.at_least else value <= self.bound


def share_of_limit(share: float) -> Goal:
    """A throughput that should reach `share` of its limit (0.5 for 50 %)."""
    return Goal(share, on_ratio=True, at_least=True, text=f">= {share:.0%} of the limit")


def within_limit(times: float) -> Goal:
    """A latency that should stay within `times` its limit."""
    return Goal(times, on_ratio=True, at_least=False, text=f"<= {times:g}x the limit")


def at_least(value: float, unit: str) -> Goal:
    return Goal(value, on_ratio=False, at_least=True, text=f">= {value:,g} {unit}")


def at_most(value: float, unit: str) -> Goal:
    return Goal(value, on_ratio=False, at_least=False, text=f"<= {value:,g} {unit}")


@dataclass(frozen=True)
class Figure:
    """One measured figure of a hot path. A throughput's ratio reads as a share of its limit
    (11 %); a latency's (`lower_is_better`) as a multiple of it (4.1x)."""

    path: str
    value: float
    unit: str
    limit: float | None = None
    limit_by: str = ""  # what the limit is: the tool and how it was run
    goal: Goal | None = None
    lower_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        if self.limit is None or self.limit <= 0:
            return None
        return self.value / self.limit

    def figure_text(self) -> str:
        return f"{_number(self.value)} {self.unit}"

    def limit_text(self) -> str:
        if self.limit is None:
            return self.limit_by or "-"
        measured = f"{_number(self.limit)} {self.unit}"
        return f"{self.limit_by}: {measured}" if self.limit_by else measured

    def ratio_text(self) -> str:
        ratio = self.ratio
        if ratio is None:
            return "-"
        return f"{ratio:.2g}x" if self.lower_is_better else _percent(ratio)

    def goal_text(self) -> str:
        if self.goal is None:
            return "-"
        met = self.goal.met(self)
        verdict = "not measured" if met is None else "met" if met else "NOT MET"
        return f"{self.goal.text}: {verdict}"

    def line(self) -> str:
        """The figure as one line, printed as soon as it is measured."""
        parts = [f"{self.path}: {self.figure_text()}"]
        if self.limit is not None or self.limit_by:
            parts.append(f"limit {self.limit_text()}")
        if self.ratio is not None:
            parts.append(f"ratio {self.ratio_text()}")
        if self.goal is not None:
            parts.append(f"goal {self.goal_text()}")
        return " | ".join(parts)


class Results:
    """The figures of one `make bench` run, in the order they were measured."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.failed: list[str] = []

    def add(self, figure: Figure) -> Figure:
        print(figure.line(), flush=True)
        self.figures.append(figure)
        return figure

    def table(self) -> str:
        """A Markdown table (to paste into docs/benchmarks.md as it is), with the machine and
        its load above it."""
        rows = [
            "| path | figure | limit (same machine, same run) | ratio | goal |",
            "|---|---|---|---|---|",
            *(
                f"| {f.path} | {f.figure_text()} | {f.limit_text()} | {f.ratio_text()}"
                f" | {f.goal_text()} |"
                for f in self.figures
            ),
        ]
        failed = [f"Benchmarks that failed (no figures): {', '.join(self.failed)}"]
        return "\n".join([machine(), "", *rows, *(failed if self.failed else [])])


def machine() -> str:
    """When and where: the date, the cores and the load average (other work shares the cores)."""
    one, five, fifteen = os.getloadavg()
    return (
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {platform.node()}, {os.cpu_count()} cores,"
        f" load average {one:.2f} {five:.2f} {fifteen:.2f}"
    )


def _percent(ratio: float) -> str:
    return f"{ratio:.1%}" if ratio < 0.1 else f"{ratio:.0%}"


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
