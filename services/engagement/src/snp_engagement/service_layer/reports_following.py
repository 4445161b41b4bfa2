"""The reporter follows "what happens next": a named report from their own account (the
policy: the account itself), an anonymous one with its reference and secret, and no account."""

from __future__ import annotations

import hmac
from typing import Any

from snp_engagement.adapters import reports_queries as queries
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_engagement.service_layer.reports_access import FOLLOW, require_on_report
from snp_engagement.service_layer.reports_filing import ReportsUnavailable, secret_hash
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
