"""Police read their force's reports and pass one to a partner agency; police or that agency
move it on (action taken, closed), each step with a note the resident reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf.message import Message

from snp_engagement.adapters import reports_queries as queries
from snp_engagement.adapters.event_streams import report_stream
from snp_engagement.adapters.reports_keys import (
    ReportKeyMissing,
    ReportKeys,
    load_photo,
    text_aad,
)
from snp_engagement.adapters.reports_queries import ReportRow
from snp_engagement.domain import reports as domain
from snp_engagement.domain.rules import InvalidInput
from snp_engagement.service_layer.access import recording_agency
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_engagement.service_layer.reports_access import (
    PASS_ON,
    READ,
    UPDATE,
    readable,
    require_on_report,
)
from snp_engagement.service_layer.reports_filing import ReportsUnavailable
from snp_engagement.service_layer.reports_pages import MAX_PAGE, Fetch, page_of
from snp_engagement.service_layer.reports_views import report_view
from snp_platform.eventstore import EventMetadata
from snp_platform.sealing import seal_text
from snp_platform.tokens import Principal


def _keys(ctx: EngagementContext) -> ReportKeys:
    if ctx.report_keys is None:
        raise ReportsUnavailable("reports cannot be read: no report key is configured")
    return ctx.report_keys


def _report(ctx: EngagementContext, principal: Principal, report_id: str, action: str) -> ReportRow:
    with ctx.pool.connection() as conn:
        row = queries.find_report(conn, report_id)
    if row is None:
        raise NotFound("no such report")
    require_on_report(ctx, principal, action, row)
    return row


def _fetcher(ctx: EngagementContext, tenant: str, ward_code: str | None) -> Fetch:
    def fetch(before: str | None, limit: int) -> list[ReportRow]:
        with ctx.pool.connection() as conn:
            return queries.tenant_reports(conn, tenant, ward_code, limit, before)

    return fetch


def list_reports(
    ctx: EngagementContext,
    principal: Principal,
    ward_code: str | None,
    limit: int = MAX_PAGE,
    cursor: str | None = None,
) -> dict[str, Any]:
    """A page of the force's reports the caller may read (police: all; a partner: those
    passed to its agency), the latest first, without their texts, and `next_cursor`."""
    page = page_of(
        _fetcher(ctx, principal.tenant, ward_code),
        lambda rows: readable(ctx, principal, rows),
        limit,
        cursor,
    )
    reports = [
        {
            "report_id": row.report_id,
            "ward_code": row.ward_code,
            "category": row.category,
            "status": row.status,
            "agency_name": row.agency_name,
            "filed_at": row.filed_at.isoformat(),
            "anonymous": not row.reporter,
            "time_known": row.time_known,
        }
        for row in page.rows
    ]
    return {"reports": reports, "next_cursor": page.next_cursor}


def read_report(ctx: EngagementContext, principal: Principal, report_id: str) -> dict[str, Any]:
    row = _report(ctx, principal, report_id, READ)
    with ctx.pool.connection() as conn:
        return report_view(conn, _keys(ctx), row, staff=True)


def read_photo(ctx: EngagementContext, principal: Principal, report_id: str) -> tuple[str, bytes]:
    row = _report(ctx, principal, report_id, READ)
    with ctx.pool.connection() as conn:
        try:
            key = _keys(ctx).key(conn, report_id)
        except ReportKeyMissing:  # shredded under the force's retention, photo included
            raise NotFound("this report has no photo") from None
        photo = load_photo(conn, key, row.tenant, report_id)
    if photo is None or row.photo_type is None:
        raise NotFound("this report has no photo")
    return row.photo_type, photo


def _step(
    ctx: EngagementContext,
    row: ReportRow,
    decide: Callable[[domain.Report, bytes], list[Message]],
    note: str,
    metadata: EventMetadata,
) -> None:
    """Load, seal the note for the step's place in the stream, decide, append (the policy
    allowed the step already); a concurrent step of the same report is a 409."""
    keys, report_id = _keys(ctx), row.report_id
    stream = report_stream(row.tenant, report_id)
    with ctx.pool.connection() as conn, conn.transaction():
        events, version = ctx.streams.load(stream)
        report = domain.fold(events)
        if report is None:
            raise NotFound("no such report")
        aad = text_aad(row.tenant, report_id, f"note:{version + 1}")
        try:
            sealed_note = seal_text(keys.key(conn, report_id), note, aad)
        except ReportKeyMissing:
            raise InvalidInput("this report is closed and its contents were removed") from None
        ctx.streams.append(stream, decide(report, sealed_note), version, metadata, conn)


def pass_to_agency(
    ctx: EngagementContext,
    principal: Principal,
    report_id: str,
    agency_id: str,
    note: str,
    metadata: EventMetadata,
) -> None:
    row = _report(ctx, principal, report_id, PASS_ON)
    with ctx.pool.connection() as conn:
        name = queries.agency_name(conn, row.tenant, agency_id)
    if name is None:
        raise InvalidInput("no such partner agency of this force")
    by = principal.account_id
    _step(
        ctx,
        row,
        lambda report, sealed: domain.pass_to(report, agency_id, name, sealed, by),
        note,
        metadata,
    )


def change_status(
    ctx: EngagementContext,
    principal: Principal,
    report_id: str,
    status: str,
    note: str,
    metadata: EventMetadata,
) -> None:
    row = _report(ctx, principal, report_id, UPDATE)
    by, agency = principal.account_id, recording_agency(principal)
    _step(
        ctx,
        row,
        lambda report, sealed: domain.change_status(report, status, sealed, by, agency),
        note,
        metadata,
    )
