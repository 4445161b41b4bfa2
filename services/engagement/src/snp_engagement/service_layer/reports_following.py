"""The reporter follows "what happens next": a named report from their own account (the
policy: the account itself), an anonymous one with its reference and secret, and no account."""

from __future__ import annotations

import hmac
from typing import Any

from snp_engagement.adapters import reports_queries as queries
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_engagement.service_layer.reports_access import FOLLOW, allowed, require_on_report
from snp_engagement.service_layer.reports_filing import ReportsUnavailable, secret_hash
from snp_engagement.service_layer.reports_pages import MAX_PAGE, page_of
from snp_engagement.service_layer.reports_views import report_view
from snp_platform.tokens import Principal


def _resident_view(ctx: EngagementContext, row: queries.ReportRow) -> dict[str, Any]:
    if ctx.report_keys is None:
        raise ReportsUnavailable("reports cannot be read: no report key is configured")
    with ctx.pool.connection() as conn:
        return report_view(conn, ctx.report_keys, row, staff=False)


def follow_own(ctx: EngagementContext, principal: Principal, report_id: str) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        row = queries.find_report(conn, report_id)
    if row is None:
        raise NotFound("no such report")
    require_on_report(ctx, principal, FOLLOW, row)
    return _resident_view(ctx, row)


def list_own(
    ctx: EngagementContext, principal: Principal, limit: int = MAX_PAGE, cursor: str | None = None
) -> dict[str, Any]:
    """A page of the caller's own named reports, the latest first, without their texts, and
    `next_cursor`. The rows are those naming the caller; the policy's batch form of the
    follow decision still picks which are shown, so the list never offers a report whose
    timeline would be refused."""

    def fetch(before: str | None, count: int) -> list[queries.ReportRow]:
        with ctx.pool.connection() as conn:
            return queries.reporter_reports(
                conn, principal.tenant, principal.account_id, count, before
            )

    page = page_of(fetch, lambda rows: allowed(ctx, principal, FOLLOW, rows), limit, cursor)
    reports = [
        {
            "report_id": row.report_id,
            "ward_code": row.ward_code,
            "category": row.category,
            "status": row.status,
            "agency_name": row.agency_name or None,
            "filed_at": row.filed_at.isoformat(),
            "time_known": row.time_known,
        }
        for row in page.rows
    ]
    return {"reports": reports, "next_cursor": page.next_cursor}


def follow_anonymous(
    ctx: EngagementContext, tenant: str, reference: str, secret: str
) -> dict[str, Any]:
    """An unknown reference and a wrong secret get the same answer (404)."""
    with ctx.pool.connection() as conn:
        row = queries.find_by_reference(conn, tenant, reference.strip().upper())
    expected = row.secret_sha256 if row is not None and row.secret_sha256 else "0" * 64
    if not hmac.compare_digest(expected, secret_hash(secret)) or row is None:
        raise NotFound("no report with this reference and secret")
    return {"reference": row.reference, **_resident_view(ctx, row)}
