"""The ramp as a picture: latency percentiles and requests per second against users, with the
p95 limit and the knee marked, saved as SVG (matplotlib's Figure without pyplot: no display
and no global state)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from e2e.load.knee import Step


def save(steps: Sequence[Step], knee: Step | None, limit_ms: float, path: Path) -> Path:
    users = [s.users for s in steps]
    figure = Figure(figsize=(8, 4.5))
    latency = figure.subplots()
    for label, colour, values in (
        ("p50", "tab:blue", [s.total.p50_ms for s in steps]),
        ("p95", "tab:orange", [s.total.p95_ms for s in steps]),
        ("p99", "tab:red", [s.total.p99_ms for s in steps]),
    ):
        latency.plot(users, values, color=colour, marker="o", label=f"{label} ms")
    latency.axhline(limit_ms, color="grey", linestyle="--", label=f"p95 limit {limit_ms:.0f} ms")
    if knee is not None:
        latency.axvline(knee.users, color="black", linestyle=":", label=f"knee {knee.users} users")
    latency.set_xlabel("users")
    latency.set_ylabel("response time (ms)")
    rate = latency.twinx()
    rate.plot(
        users,
        [s.rps for s in steps],
        color="tab:green",
        linestyle="--",
        marker="s",
        label="requests/s",
    )
    rate.set_ylabel("requests per second")
    lines = latency.get_legend_handles_labels()[0] + rate.get_legend_handles_labels()[0]
    labels = latency.get_legend_handles_labels()[1] + rate.get_legend_handles_labels()[1]
    latency.legend(lines, labels, loc="upper left", fontsize="small")
    latency.set_title("Load test: the mixed profile, one step at a time")
    figure.tight_layout()
    figure.savefig(path, format="svg")
    return path
