"""Residents' reports as the ward team handles them: police see their force's reports (a ward at
a time, if they choose), a partner those passed to its agency; one report's page has its texts,
photo and timeline, "Pass to an agency" (police) and a status update with a note for the
resident. Whether the forms show follows the account's kind only: engagement's policy decides
every read and step (a partner's forged pass meets its refusal)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain import reports as words
from snp_portal.domain.refusals import error_message
from snp_portal.entrypoints.downloads import passed_on
from snp_portal.entrypoints.force_wards import wards_for
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.report_pages import (
    cursor_of,
    described,
    found_or_404,
    page_links,
    reports_api,
)
from snp_portal.entrypoints.staff import Staff, signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
HANDLERS = frozenset({"police", "partner"})
_WARD = re.compile(r"^[A-Za-z0-9]{1,16}$")
_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
BANNERS = {
    "passed": "The report is passed on. The person who reported it can see the note.",
    "updated": "The status is changed. The person who reported it can see the note.",
}


@router.get("/ward-reports")
def queue(request: Request, ward: str = "", cursor: str = "") -> Response:
    staff = signed_in_staff(request, HANDLERS)
    chosen, cursor = (ward if _WARD.match(ward) else ""), cursor_of(cursor)
    found = reports_api(request, staff.token).queue(chosen or None, cursor or None)
    reports = [described(r) for r in found["reports"]]
    params = {"ward": chosen} if chosen else {}
    wards = wards_for(request, staff.user)
    return render_form(
        request,
        "reports_queue.html",
        title="Residents' reports" if staff.claims.kind == "police" else "Reports passed to you",
        active="ward-reports",
        reports=reports,
        wards=wards,
        chosen=chosen,
        police=staff.claims.kind == "police",
        pagination=page_links("/ward-reports", params, cursor, found.get("next_cursor")),
    )


def _agencies(request: Request, staff: Staff) -> dict[str, str]:
    """The force's live partner agencies, by id (only police pass reports on)."""
    if staff.claims.kind != "police":
        return {}
    found = apis(request).identity.get("/agencies", staff.token)["agencies"]
    return {a["agency_id"]: a["name"] for a in found if a["status"] == "active"}


def _page(
    request: Request,
    staff: Staff,
    report_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> Response:
    if not _ID.match(report_id):
        raise HTTPException(404)
    report = found_or_404(reports_api(request, staff.token).report, report_id)
    wards = wards_for(request, staff.user)
    return render_form(
        request,
        "reports_handle.html",
        errors,
        values,
        status_code,
        title=f"Report: {described(report)['category_words']}",
        active="ward-reports",
        report=described(report),
        agencies=_agencies(request, staff),
        ward_name=wards.get(report["ward_code"], report["ward_code"]),
        updates=words.UPDATES,
        banner=BANNERS.get(done or ""),
    )


@router.get("/ward-reports/{report_id}")
def report_page(request: Request, report_id: str, done: str | None = None) -> Response:
    staff = signed_in_staff(request, HANDLERS)
    return _page(request, staff, report_id, done=done)


@router.get("/ward-reports/{report_id}/photo")
def photo(request: Request, report_id: str) -> Response:
    staff = signed_in_staff(request, HANDLERS)
    if not _ID.match(report_id):
        raise HTTPException(404)
    try:
        return passed_on(reports_api(request, staff.token).photo(report_id))
    except Refusal as refused:
        raise HTTPException(404) from refused


def _refused(refused: Refusal, field: str) -> dict[str, str]:
    if refused.status == 409:
        return {field: "The report changed while you were looking at it. Check it and try again"}
    return {field: error_message(refused.message)}


async def _step(request: Request, report_id: str, field: str, note: str, step: Any) -> Response:
    """Check the form, take the step, back to the report; else the page with the errors."""
    user, form = await signed_in_form(request)
    staff = signed_in_staff(request, HANDLERS)
    values = {field: form.get(field, "").strip(), note: form.get(note, "").strip()}
    values[note] = values[note].replace("\r\n", "\n")
    choices = words.UPDATES
    if field == "agency_id":
        # A partner's form has no agencies to choose from; its forged post still goes to
        # engagement, whose policy refuses it (the portal decides nothing).
        police = staff.claims.kind == "police"
        choices = _agencies(request, staff) if police else {values[field]: ""}
    choose = "Select the agency to pass it to" if field == "agency_id" else "Select the new status"
    errors = words.step_errors(values, choices, field, choose, note)
    if errors:
        return _page(request, staff, report_id, errors, values, 400)
    try:
        step(reports_api(request, user.token), values[field], values[note])
    except Refusal as refused:
        if refused.status in (403, 404):
            raise HTTPException(404) from refused
        return _page(request, staff, report_id, _refused(refused, field), values, refused.status)
    done = "passed" if field == "agency_id" else "updated"
    return see_other(f"/ward-reports/{report_id}?done={done}")


@router.post("/ward-reports/{report_id}/pass")
async def pass_on(request: Request, report_id: str) -> Response:
    return await _step(
        request,
        report_id,
        "agency_id",
        "pass_note",
        lambda api, agency, note: api.pass_to(report_id, agency, note),
    )


@router.post("/ward-reports/{report_id}/status")
async def change_status(request: Request, report_id: str) -> Response:
    return await _step(
        request,
        report_id,
        "status",
        "status_note",
        lambda api, status, note: api.change_status(report_id, status, note),
    )
