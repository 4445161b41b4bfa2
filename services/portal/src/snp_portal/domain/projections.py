"""The projections pages' figures, from each service's `/<service>/ops/projections` report:
pure, so what the pages say is tested apart from the services. A service that did not answer
is listed as such, never as having nothing to rebuild."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# What a rebuild's state is called on the pages, and the GOV.UK tag colour it is shown in.
STATES = {
    "running": ("Rebuilding", "govuk-tag--blue"),
    "finished": ("Rebuilt", "govuk-tag--green"),
    "failed": ("Failed", "govuk-tag--red"),
    "interrupted": ("Interrupted", "govuk-tag--orange"),
}


@dataclass(frozen=True)
class Rebuild:
    state: str  # running, finished, failed, interrupted
    read: int
    total: int | None
    applied: int
    started_at: str
    finished_at: str | None
    reason: str | None

    @property
    def label(self) -> str:
        return STATES.get(self.state, (self.state.capitalize(), ""))[0]

    @property
    def tag_class(self) -> str:
        return STATES.get(self.state, ("", "govuk-tag--grey"))[1]

    @property
    def percent(self) -> int:
        """How far it has read, in whole per cent (100 when there was nothing to read)."""
        if not self.total:
            return 100 if self.state == "finished" or self.total == 0 else 0
        return min(100, self.read * 100 // self.total)


@dataclass(frozen=True)
class ProjectionRow:
    service: str
    name: str
    source: str
    applied: int
    rebuilding: bool
    last: Rebuild | None


@dataclass(frozen=True)
class ServiceProjections:
    service: str
    answered: bool
    projections: tuple[ProjectionRow, ...]


def rebuild_of(report: Mapping[str, Any] | None) -> Rebuild | None:
    if not report:
        return None
    return Rebuild(
        str(report["state"]),
        int(report.get("read") or 0),
        report.get("total"),
        int(report.get("applied") or 0),
        _moment(report.get("started_at")) or "",
        _moment(report.get("finished_at")),
        report.get("reason"),
    )


def projection_row(service: str, report: Mapping[str, Any]) -> ProjectionRow:
    return ProjectionRow(
        service,
        str(report["name"]),
        str(report.get("source", "")),
        int(report.get("applied") or 0),
        report.get("state") == "rebuilding",
        rebuild_of(report.get("last_rebuild")),
    )


def projections_by_service(
    services: tuple[str, ...], reports: Mapping[str, Mapping[str, Any] | None]
) -> tuple[ServiceProjections, ...]:
    """Each service's projections, in the services' order (None: it did not answer)."""
    found = []
    for service in services:
        report = reports.get(service)
        if report is None:
            found.append(ServiceProjections(service, False, ()))
            continue
        rows = tuple(projection_row(service, p) for p in report.get("projections") or [])
        found.append(ServiceProjections(service, True, rows))
    return tuple(found)


def _moment(value: Any) -> str | None:
    """An ISO timestamp as the pages show it: `2026-05-01 10:42:07` (UTC)."""
    if not value:
        return None
    return str(value)[:19].replace("T", " ")
