"""The policy input for residents' reports: the report's tenant, ward, the agency it was
passed to and its reporter (none when anonymous). OPA decides; a refusal is answered as an
unknown id, so a report's existence never leaks to whoever may not read it."""

from __future__ import annotations

from typing import Any

from snp_engagement.adapters.reports_queries import ReportRow
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_platform.authz import ACTIONABLE_REASONS, Refused, authorize, subject_of
from snp_platform.tokens import Principal

FILE = "engagement.report.file"
READ = "engagement.report.read"
PASS_ON = "engagement.report.pass"  # noqa: S105 (an action name, not a secret)
UPDATE = "engagement.report.update"
FOLLOW = "engagement.report.follow"


def report_resource(row: ReportRow) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "type": "report",
        "id": row.report_id,
        "tenant": row.tenant,
        "ward_code": row.ward_code,
        "agency": row.agency_id,
    }
    if row.reporter:  # an anonymous report has no owner: no account may follow it as its own
        resource["owner"] = row.reporter
    return resource


def require_on_report(
    ctx: EngagementContext, principal: Principal, action: str, row: ReportRow
) -> None:
    """OPA's allow, or 404: an MFA refusal still says so (the caller can act on it)."""
    try:
        authorize(ctx.opa, principal, action, report_resource(row))
    except Refused as refused:
        if ACTIONABLE_REASONS.intersection(refused.reasons):
            raise
        raise NotFound("no such report") from None


def allowed(
    ctx: EngagementContext, principal: Principal, action: str, rows: list[ReportRow]
) -> set[str]:
    """The ids of `rows` the caller may take `action` on (the policy's batch form)."""
    if not rows:
        return set()
    resources = [report_resource(row) for row in rows]
    return set(ctx.opa.allowed_ids(subject_of(principal), action, resources))


def readable(ctx: EngagementContext, principal: Principal, rows: list[ReportRow]) -> set[str]:
    """The ids of `rows` the caller may read."""
    return allowed(ctx, principal, READ, rows)
