"""Which of engagement's report steps become a notice, to whom, and saying what: a named
report's steps tell its reporter; an anonymous report's steps (no reporter) and every other
event cause nothing, and never touch the database."""

from __future__ import annotations

from typing import Any

from snp.engagement.v1 import events_pb2 as engagement
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.service_layer import report_notices


def _envelope(event: Any) -> EventEnvelope:
    return EventEnvelope(
        event_id="e1",
        event_type=f"engagement.{event.DESCRIPTOR.name}",
        tenant="met",
        payload=event.SerializeToString(),
    )


def test_a_named_reports_steps_name_the_reporter_and_say_what_happened() -> None:
    passed = engagement.ReportPassed(
        report_id="r1", agency_id="a1", agency_name="Camden ASB team", reporter="m1"
    )
    assert report_notices._step(_envelope(passed)) == (
        "r1",
        "m1",
        "Your report has been passed to Camden ASB team",
    )
    closed = engagement.ReportStatusChanged(report_id="r1", status="closed", reporter="m1")
    assert report_notices._step(_envelope(closed)) == ("r1", "m1", "Your report has been closed")


def test_an_anonymous_reports_steps_and_other_events_notify_nobody() -> None:
    anonymous = engagement.ReportStatusChanged(report_id="r1", status="closed", reporter="")
    conn: Any = None  # touched, it would fail: nothing may be recorded for nobody
    assert report_notices.notify_report_step(None, conn, _envelope(anonymous), "") is None  # type: ignore[arg-type]
    filed = engagement.ReportFiled(report_id="r1", reporter="m1")
    assert report_notices._step(_envelope(filed)) is None
    assert report_notices.notify_report_step(None, conn, _envelope(filed), "") is None  # type: ignore[arg-type]
