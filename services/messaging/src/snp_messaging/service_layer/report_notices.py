"""A step of a resident's report (engagement's ReportPassed, ReportStatusChanged) becomes a
notice to its named reporter, by their chosen channels, once per event.

The notes are sealed under the report's key, which only engagement holds, so the notice says
what happened and links to the report's "what happens next" page; reading the note there needs
sign-in and the policy's leave (the reporter's own). An anonymous report's steps name nobody
(`reporter` empty) and cause nothing here.
"""

from __future__ import annotations

from typing import Any

import psycopg

from snp.engagement.v1 import events_pb2 as engagement
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters import recipients as projection
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.domain.messages import Audience, AudienceType, Draft, MessageType, Priority
from snp_messaging.domain.messages import Sender as MessageSender
from snp_messaging.service_layer.sending import record_in
from snp_platform.eventstore import EventMetadata

PASSED = f"engagement.{engagement.ReportPassed.DESCRIPTOR.name}"
STATUS_CHANGED = f"engagement.{engagement.ReportStatusChanged.DESCRIPTOR.name}"
REPORT_LINK = "{base}/reports/{report_id}"
_WHAT = {
    "action_taken": "Action has been taken on your report",
    "closed": "Your report has been closed",
}


def _step(envelope: EventEnvelope) -> tuple[str, str, str] | None:
    """(report id, reporter, subject) of a report step, or None for anything else."""
    if envelope.event_type == PASSED:
        passed = engagement.ReportPassed.FromString(envelope.payload)
        subject = f"Your report has been passed to {passed.agency_name or 'a partner agency'}"
        return passed.report_id, passed.reporter, subject
    if envelope.event_type == STATUS_CHANGED:
        changed = engagement.ReportStatusChanged.FromString(envelope.payload)
        subject = _WHAT.get(changed.status, "Your report has been updated")
        return changed.report_id, changed.reporter, subject
    return None


def notify_report_step(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    envelope: EventEnvelope,
    portal_base_url: str,
) -> str | None:
    """Record the notice in the caller's transaction (deliveries follow as for any message)."""
    step = _step(envelope)
    if step is None or not step[1]:
        return None
    report_id, reporter, subject = step
    force = projection.force_name(conn, envelope.tenant)
    sender = MessageSender("", "your Safer Neighbourhoods team", force, "police")
    link = REPORT_LINK.format(base=portal_base_url.rstrip("/"), report_id=report_id)
    draft = Draft(
        subject=subject,
        body=(
            f"{subject}. Sign in to the Safer Neighbourhoods Platform to read the note your "
            "team wrote for you and see what happens next."
        ),
        message_type=MessageType.ACCOUNT,
        priority=Priority.NORMAL,
        audience=Audience(AudienceType.ACCOUNT, reporter),
    )
    metadata = EventMetadata(
        actor="service:messaging",
        correlation_id=envelope.correlation_id,
        causation_id=envelope.event_id,
        traceparent=envelope.trace_context.traceparent,
    )
    message_id, _count = record_in(
        streams,
        conn,
        envelope.tenant,
        sender,
        draft,
        Audience(AudienceType.ACCOUNT, reporter),
        metadata,
        link=link,
        recipient_ids=[reporter],
    )
    return message_id


class ReportStepsNotifyReporter:
    """Each step of a named report tells its reporter (once per event, never on a rebuild)."""

    name = "messaging.report-steps-notify-reporter"
    event_types = (PASSED, STATUS_CHANGED)

    def __init__(self, streams: MessagingStreams, portal_base_url: str) -> None:
        self._streams, self._portal_base_url = streams, portal_base_url

    def react(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        notify_report_step(self._streams, conn, envelope, self._portal_base_url)
