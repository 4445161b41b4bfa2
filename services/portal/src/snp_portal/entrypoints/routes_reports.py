"""Report something to your ward team: the before-you-start page (999, 101, Crimestoppers),
then the form. A signed-in member may send it with their name (followed from "Your reports");
anyone may send it anonymously, and then the portal calls engagement's anonymous route with
no token and no browser address, asks identity nothing, and keeps nothing: the reference and
secret are shown on the answer to the post itself, once, and stored nowhere (invariant 12)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from snp_portal.adapters import reports as engagement
from snp_portal.adapters.api import Refusal
from snp_portal.adapters.forces import Force
from snp_portal.adapters.token_claims import claims_of
from snp_portal.domain import reports as words
from snp_portal.domain.dates import UK
from snp_portal.domain.ward_priorities import CATEGORIES
from snp_portal.entrypoints.force_pages import the_force
from snp_portal.entrypoints.force_wards import public_panel_wards
from snp_portal.entrypoints.pages import render, render_form
from snp_portal.entrypoints.web import (
    apis,
    posted_form,
    see_other,
    session_or_new,
    set_cookie,
    signed_in,
)

router = APIRouter()
MAX_PHOTO = 5 * 1024 * 1024  # engagement's SNP_REPORT_PHOTO_MAX_BYTES by default
_MULTIPART_OVERHEAD = 64 * 1024  # the form's text fields and boundaries around the photo
FIELDS = ("ward", "category", "what", "where", "postcode", "day", "month", "year", "time", "way")


def _member_signed_in(request: Request) -> bool:
    """A member's session (only they may send a report with their name); read from the
    session alone, so an anonymous report never makes the portal ask identity anything."""
    session = request.state.session
    return bool(
        session is not None
        and session.signed_in
        and session.access_token
        and claims_of(session.access_token).kind == "member"
    )


@router.get("/forces/{tenant}/report")
def before_you_start(request: Request, tenant: str) -> Response:
    force = the_force(request, tenant)
    session_or_new(request)  # the header's menu
    advice = engagement.before_you_start(apis(request).engagement)
    return render(
        request,
        "reports_start.html",
        title="Report something to your ward team",
        advice=advice,
        force_slug=force.slug,
        errors={},
    )


def _form(
    request: Request,
    force: Force,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render_form(
        request,
        "reports_new.html",
        errors,
        values,
        status_code,
        title="Tell your ward team what happened",
        force_slug=force.slug,
        wards=public_panel_wards(request, force.slug),
        categories=CATEGORIES,
        ways=words.WAYS if _member_signed_in(request) else None,
    )


@router.get("/forces/{tenant}/report/new")
def report_form(request: Request, tenant: str) -> Response:
    force = the_force(request, tenant)
    session, fresh = session_or_new(request)
    page = _form(request, force, {})
    if fresh:
        set_cookie(request, page, session)
    return page


async def _photo(chosen: object) -> tuple[str | None, dict[str, str]]:
    """The chosen photo as base64 (None: no photo), or the error the form shows."""
    if not isinstance(chosen, UploadFile) or not chosen.filename:
        return None, {}
    content = await chosen.read(MAX_PHOTO + 1)
    if len(content) > MAX_PHOTO:
        return None, {"photo": "The photo must be smaller than 5 MB"}
    if not content:
        return None, {"photo": "The selected photo is empty"}
    return base64.b64encode(content).decode(), {}


def _refused(refusal: Refusal) -> dict[str, str]:
    """Engagement's refusal said on the form's fields."""
    if refusal.status == 413:
        return {"photo": "The photo must be smaller than 5 MB"}
    if refusal.status == 415:
        return {"photo": "The photo must be a JPEG or PNG image"}
    if "ward" in (refusal.detail or "").lower():
        return {"ward": "Select the ward where it happened"}
    names = {"ward_code": "ward", "happened_at": "when", "photo_base64": "photo"}
    errors = {names.get(f, f): m for f, m in refusal.field_messages.items() if f}
    return errors or {"what": refusal.message}


def _send(request: Request, force: Force, body: dict[str, Any], way: str) -> Response:
    if way == "named":
        report_id = engagement.ReportsApi(apis(request).engagement, signed_in(request).token)
        return see_other(f"/reports/{report_id.file_named(body)}?done=filed")
    given = engagement.file_anonymously(apis(request).engagement, force.slug, body)
    return render(
        request,
        "reports_anonymous_sent.html",
        title="Your report has been sent",
        force_slug=force.slug,
        errors={},
        reference=given["reference"],
        secret=given["secret"],
    )


@router.post("/forces/{tenant}/report/new")
async def send_report(request: Request, tenant: str) -> Response:
    force = the_force(request, tenant)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_PHOTO + _MULTIPART_OVERHEAD:
        session_or_new(request)  # not read at all: engagement would refuse it anyway
        too_big = {"photo": "The photo must be smaller than 5 MB"}
        return await run_in_threadpool(_form, request, force, {}, too_big, 413)
    _session, form = await posted_form(request)
    values = {name: form.get(name, "").strip().replace("\r\n", "\n") for name in FIELDS}
    if not _member_signed_in(request):
        values["way"] = "anonymous"  # a visitor's (or staff member's) report has no name
    photo, errors = await _photo((await request.form()).get("photo"))
    wards = await run_in_threadpool(public_panel_wards, request, force.slug)
    errors = words.report_errors(values, set(wards), datetime.now(UK)) | errors
    if not errors:
        body = words.report_body(values, photo)
        try:
            return await run_in_threadpool(_send, request, force, body, values["way"])
        except Refusal as refusal:
            if refusal.status in (403, 404):
                raise
            errors, status = _refused(refusal), refusal.status
    else:
        status = 400
    return await run_in_threadpool(_form, request, force, values, errors, status)
