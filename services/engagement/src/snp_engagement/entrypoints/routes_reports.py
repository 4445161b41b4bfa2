"""`/engagement/reports`: residents' reports to their ward team, as the resident files and
follows them, and as police and the partner a report was passed to handle them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from snp_engagement.domain.reports_advice import BEFORE_YOU_START
from snp_engagement.entrypoints.dependencies import context, metadata
from snp_engagement.entrypoints.reports_schemas import PassIn, ReportIn, StatusIn
from snp_engagement.service_layer import reports_filing, reports_following, reports_handling
from snp_engagement.service_layer.reports_pages import MAX_PAGE
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/engagement/reports", tags=["reports"])
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
WardQuery = Annotated[str | None, Query(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9]+$")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
# The last report id of the page before (report ids are UUIDv7s).
Cursor = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9\-]+$")]


@router.get("/before-you-start")
def before_you_start() -> dict[str, Any]:
    """What the form says first: 999, 101, Crimestoppers (no token needed)."""
    return BEFORE_YOU_START


@router.post("", status_code=201)
def file_report(body: ReportIn, request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    """A member's named report to the ward's police team (anonymous ones: the public route)."""
    meta = metadata(request, principal.account_id)
    report_id = reports_filing.file_named(context(request), principal, body.form(), meta)
    return {"report_id": report_id, "status": "received"}


@router.get("")
def list_reports(
    request: Request,
    principal: CurrentPrincipal,
    ward: WardQuery = None,
    limit: Limit = MAX_PAGE,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Police: the force's reports; a partner: those passed to its agency. Latest first,
    `limit` a page; `next_cursor` (null on the last page) is the `cursor` of the next."""
    ctx = context(request)
    return reports_handling.list_reports(ctx, principal, ward, limit, cursor)


@router.get("/mine")
def my_reports(
    request: Request, principal: CurrentPrincipal, limit: Limit = MAX_PAGE, cursor: Cursor = None
) -> dict[str, Any]:
    """The caller's own named reports, latest first, paged as the force's list (before
    `/{report_id}`: "mine" is no id)."""
    return reports_following.list_own(context(request), principal, limit, cursor)


@router.get("/{report_id}")
def read_report(report_id: Id, request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    return reports_handling.read_report(context(request), principal, report_id)


@router.get("/{report_id}/photo")
def read_photo(report_id: Id, request: Request, principal: CurrentPrincipal) -> Response:
    content_type, content = reports_handling.read_photo(context(request), principal, report_id)
    headers = {"Content-Disposition": "attachment", "Cache-Control": "no-store"}
    return Response(content, media_type=content_type, headers=headers)


@router.get("/{report_id}/next")
def what_happens_next(
    report_id: Id, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """The reporter's own report and its timeline, with the notes written for them."""
    return reports_following.follow_own(context(request), principal, report_id)


@router.post("/{report_id}/pass", status_code=204)
def pass_report(
    report_id: Id, body: PassIn, request: Request, principal: CurrentPrincipal
) -> Response:
    """Police pass the report to a partner agency of the force."""
    meta = metadata(request, principal.account_id)
    ctx = context(request)
    reports_handling.pass_to_agency(ctx, principal, report_id, body.agency_id, body.note, meta)
    return Response(status_code=204)


@router.post("/{report_id}/status", status_code=204)
def change_status(
    report_id: Id, body: StatusIn, request: Request, principal: CurrentPrincipal
) -> Response:
    """Police or the agency it was passed to: action taken, or closed."""
    meta = metadata(request, principal.account_id)
    ctx = context(request)
    reports_handling.change_status(ctx, principal, report_id, body.status, body.note, meta)
    return Response(status_code=204)
