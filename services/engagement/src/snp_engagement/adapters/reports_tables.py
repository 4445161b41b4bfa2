"""The read model of engagement's report events (`reports`, `report_updates`): state only,
applied in each append's transaction (through EngagementTables) and rebuilt with its tables."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import psycopg
from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_engagement.domain.reports import RECEIVED

Conn = psycopg.Connection[Any]


def apply_report_event(conn: Conn, envelope: EventEnvelope, event: Message) -> None:
    """Engagement's report events as rows; any other event is ignored."""
    at = envelope.occurred_at.ToDatetime(tzinfo=UTC)
    if isinstance(event, pb.ReportFiled):
        photo = event.photo if event.HasField("photo") else None
        conn.execute(
            "INSERT INTO reports (report_id, tenant, ward_code, category, sealed_what,"
            " sealed_where, sealed_postcode, happened_at, reporter, reference, secret_sha256,"
            " photo_type, photo_size, photo_sha256, status, filed_at, time_unknown)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                event.report_id,
                envelope.tenant,
                event.ward_code,
                event.category,
                event.sealed_what,
                event.sealed_where,
                event.sealed_postcode,
                event.happened_at,
                event.reporter,
                event.reference or None,
                event.secret_sha256 or None,
                photo.content_type if photo else None,
                photo.size if photo else None,
                photo.sha256 if photo else None,
                RECEIVED,
                at,
                event.time_unknown,
            ),
        )
    elif isinstance(event, pb.ReportPassed):
        conn.execute(
            "UPDATE reports SET status = 'passed', agency_id = %s, agency_name = %s"
            " WHERE report_id = %s",
            (event.agency_id, event.agency_name, event.report_id),
        )
        note = (event.agency_name, event.sealed_note, event.passed_by)
        _update(conn, envelope, event.report_id, "passed", note)
    elif isinstance(event, pb.ReportRetentionSet):
        conn.execute(
            "INSERT INTO report_retention (tenant, days_after_closing, set_by, set_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (tenant) DO UPDATE SET"
            " days_after_closing = EXCLUDED.days_after_closing, set_by = EXCLUDED.set_by,"
            " set_at = EXCLUDED.set_at",
            (envelope.tenant, event.days_after_closing, event.set_by, at),
        )
    elif isinstance(event, pb.ReportShredded):
        conn.execute(
            "UPDATE reports SET shredded_at = %s WHERE report_id = %s", (at, event.report_id)
        )
    elif isinstance(event, pb.ReportStatusChanged):
        conn.execute(
            "UPDATE reports SET status = %s WHERE report_id = %s", (event.status, event.report_id)
        )
        _update(
            conn, envelope, event.report_id, event.status, ("", event.sealed_note, event.changed_by)
        )


def _update(
    conn: Conn, envelope: EventEnvelope, report_id: str, status: str, note: tuple[str, bytes, str]
) -> None:
    """One step of the timeline; `note` is (agency name, sealed note, by whom)."""
    agency, sealed_note, by = note
    conn.execute(
        "INSERT INTO report_updates (report_id, version, status, agency_name, sealed_note,"
        " by_account, at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            report_id,
            envelope.stream_version,
            status,
            agency,
            sealed_note,
            by,
            envelope.occurred_at.ToDatetime(tzinfo=UTC),
        ),
    )
