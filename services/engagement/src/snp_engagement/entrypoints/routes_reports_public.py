"""`/engagement/public/{tenant}/reports`: anonymous reports, filed and followed without any
token. These routes take no principal at all (no bearer token is read, verified or logged),
so nothing of the caller's account can reach the report, its event, audit or a log line."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from snp_engagement.entrypoints.dependencies import context
from snp_engagement.entrypoints.reports_schemas import FollowIn, ReportIn
from snp_engagement.service_layer import reports_filing, reports_following

router = APIRouter(prefix="/engagement/public", tags=["reports"])
Tenant = Annotated[str, Path(min_length=1, max_length=63, pattern=r"^[a-z0-9][a-z0-9-]*$")]


@router.post("/{tenant}/reports", status_code=201)
def file_anonymous_report(tenant: Tenant, body: ReportIn, request: Request) -> dict[str, Any]:
    """The reference and secret to follow it with: shown this once, kept by nobody else."""
    reference, secret = reports_filing.file_anonymous(context(request), tenant, body.form())
    return {"reference": reference, "secret": secret, "status": "received"}


@router.post("/{tenant}/reports/follow")
def follow_anonymous_report(tenant: Tenant, body: FollowIn, request: Request) -> dict[str, Any]:
    """POST, so the secret is never in a URL (nor so in any access log)."""
    ctx = context(request)
    return reports_following.follow_anonymous(ctx, tenant, body.reference, body.secret)
