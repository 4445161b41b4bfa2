"""The projections pages' figures from the services' reports: a silent service is listed as not
answering (never as having nothing to rebuild), a rebuild's progress is told in whole per cent,
and each state has its words."""

from __future__ import annotations

from typing import Any

from snp_portal.domain.platform_health import SERVICES
from snp_portal.domain.projections import projection_row, projections_by_service, rebuild_of


def rebuild(state: str, read: int, total: int | None, **more: Any) -> dict[str, Any]:
    return {
        "id": "r1",
        "state": state,
        "read": read,
        "applied": read,
        "total": total,
        "started_at": "2026-05-01T10:42:07.123456+00:00",
        "finished_at": None,
        "reason": None,
        **more,
    }


def test_a_silent_service_is_not_answering_and_one_without_projections_says_so() -> None:
    reports: dict[str, Any] = {s: {"projections": []} for s in SERVICES}
    reports["documents"] = None
    reports["membership"] = {
        "projections": [
            {
                "name": "membership.known-accounts",
                "source": "snp.identity.events",
                "applied": 7,
                "state": "live",
                "last_rebuild": None,
            }
        ]
    }
    found = projections_by_service(SERVICES, reports)
    assert [s.service for s in found] == list(SERVICES)
    by_service = {s.service: s for s in found}
    assert not by_service["documents"].answered and by_service["documents"].projections == ()
    assert by_service["identity"].answered and by_service["identity"].projections == ()
    [row] = by_service["membership"].projections
    assert (row.name, row.applied, row.rebuilding, row.last) == (
        "membership.known-accounts",
        7,
        False,
        None,
    )


def test_progress_in_whole_per_cent_and_the_states_words() -> None:
    running = rebuild_of(rebuild("running", 333, 1000))
    assert running is not None
    assert (running.percent, running.label, running.tag_class) == (
        33,
        "Rebuilding",
        "govuk-tag--blue",
    )
    assert running.started_at == "2026-05-01 10:42:07"
    nothing = rebuild_of(rebuild("finished", 0, 0, finished_at="2026-05-01T10:42:08+00:00"))
    assert nothing is not None and nothing.percent == 100 and nothing.label == "Rebuilt"
    assert nothing.finished_at == "2026-05-01 10:42:08"
    failed = rebuild_of(rebuild("failed", 5, 10, reason="TimeoutError: stalled"))
    assert (
        failed is not None and failed.label == "Failed" and failed.reason == "TimeoutError: stalled"
    )
    interrupted = rebuild_of(rebuild("interrupted", 1, None))
    assert interrupted is not None and interrupted.label == "Interrupted"
    assert interrupted.percent == 0
    assert rebuild_of(None) is None


def test_a_projection_being_rebuilt_is_marked_so() -> None:
    row = projection_row(
        "messaging",
        {
            "name": "messaging.recipients",
            "source": "a, b",
            "applied": 3,
            "state": "rebuilding",
            "last_rebuild": rebuild("running", 1, 3),
        },
    )
    assert row.rebuilding and row.last is not None and row.last.percent == 33
