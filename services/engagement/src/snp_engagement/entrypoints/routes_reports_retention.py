"""`/engagement/retention/reports`: how long the force keeps a closed report's contents before
they are crypto-shredded (police and the tenant admin read it, the tenant admin sets it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from snp_engagement.entrypoints.dependencies import context, metadata
from snp_engagement.service_layer import reports_retention
from snp_platform.bodies import RequestBody
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/engagement/retention/reports", tags=["reports"])


class RetentionIn(RequestBody):
    days_after_closing: int  # the range is the domain's rule (a 422 that names it)


@router.get("")
def read_retention(request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    return reports_retention.read_retention(context(request), principal)


@router.put("")
def set_retention(
    body: RetentionIn, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    meta = metadata(request, principal.account_id)
    return reports_retention.set_retention(
        context(request), principal, body.days_after_closing, meta
    )
