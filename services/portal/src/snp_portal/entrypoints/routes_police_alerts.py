"""Police send an alert to a group, a ward or the whole force: the form, then "Check your
alert" (messaging's preview: the inbox's view and the mail as it will arrive), then the send.
The draft is held in the officer's session between the steps (sealed, for 10 minutes), so
what is sent is exactly what was checked; a post can only change it through the form, which
shows the check page again. Messaging and the policy decide who may send what."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from snp_portal.adapters.alerts import AlertsApi
from snp_portal.adapters.api import Refusal
from snp_portal.adapters.police import PoliceApi
from snp_portal.domain import alert_drafts as drafts
from snp_portal.domain.refusals import sentence
from snp_portal.domain.wards import wards_of
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.staff import Staff, signed_in_staff
from snp_portal.entrypoints.web import apis, portal, see_other, signed_in_form

router = APIRouter()
POLICE = frozenset({"police"})
HELD = "alert_draft"
GROUP_PAGES = 4  # the form offers the force's first 200 groups by name


def _choices(request: Request, staff: Staff) -> tuple[dict[str, str], dict[str, str]]:
    """The force's groups (id -> name) and wards (code -> name), as membership lists them."""
    api, found, cursor = PoliceApi(apis(request), staff.token), [], None
    for _ in range(GROUP_PAGES):
        page = api.groups({}, cursor)
        found.extend(page["groups"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return {g["group_id"]: g["name"] for g in found}, wards_of(found)


def _form(
    request: Request, staff: Staff, draft: drafts.AlertDraft, status_code: int = 200
) -> Response:
    groups, wards = _choices(request, staff)
    return render_form(
        request,
        "police_alert_new.html",
        draft.errors,
        draft.values,
        status_code,
        title="Send an alert",
        active="police-alerts",
        groups=groups,
        wards=wards,
        attachment=draft.attachment,
        audiences=drafts.AUDIENCES,
        types=drafts.TYPES,
        priorities=drafts.PRIORITIES,
        priority_hints=drafts.PRIORITY_HINTS,
    )


@router.get("/police/alerts/new")
def new_alert(request: Request, change: str | None = None) -> Response:
    staff = signed_in_staff(request, POLICE)
    held = portal(request).held(staff.user.session, HELD) if change == "yes" else None
    if held:
        return _form(request, staff, drafts.from_held(held))
    blank = {f: "" for f in drafts.FIELDS}
    return _form(
        request, staff, drafts.AlertDraft({**blank, "type": "alert", "priority": "normal"})
    )


@router.post("/police/alerts/new")
async def check_new_alert(request: Request) -> Response:
    _user, fields = await signed_in_form(request)
    staff = signed_in_staff(request, POLICE)
    chosen = (await request.form()).get("attachment")
    draft = drafts.read_form(fields)
    held = portal(request).held(staff.user.session, HELD)
    if held and fields.get("keep_attachment") == "yes":
        draft = drafts.AlertDraft(draft.values, draft.errors, held.get("attachment"))
    if draft.errors:
        return await run_in_threadpool(_form, request, staff, draft, 400)
    api = AlertsApi(apis(request), staff.token)
    try:
        await run_in_threadpool(api.preview, draft.message())
        if isinstance(chosen, UploadFile) and chosen.filename:
            stored = await run_in_threadpool(api.upload, chosen.filename, chosen.file)
            draft = drafts.AlertDraft(draft.values, {}, stored)
    except Refusal as refused:
        if refused.status not in (413, 422):
            raise
        errors = _attachment_errors(refused) or drafts.problem_errors(
            list(refused.problems), sentence(refused.message)
        )
        failed = drafts.AlertDraft(draft.values, errors, draft.attachment)
        return await run_in_threadpool(_form, request, staff, failed, refused.status)
    groups, wards = await run_in_threadpool(_choices, request, staff)
    label = drafts.audience_label(draft.values, groups, wards)
    ready = drafts.AlertDraft(draft.values, {}, draft.attachment, label)
    portal(request).hold(staff.user.session, HELD, ready.held())
    return see_other("/police/alerts/check")


def _attachment_errors(refused: Refusal) -> dict[str, str]:
    if refused.status == 413:
        return {"attachment": "The selected file must be smaller than 10 MB"}
    detail = refused.message.lower() + " ".join(m for _f, m in refused.problems).lower()
    if "attachment is empty" in detail:
        return {"attachment": "The selected file is empty"}
    if "pdf, png, jpeg or plain text" in detail:
        return {
            "attachment": "The selected file must be a PDF, a PNG or JPEG image, or a text file"
        }
    return {}


@router.get("/police/alerts/check")
def check_alert(request: Request) -> Response:
    staff = signed_in_staff(request, POLICE)
    held = portal(request).held(staff.user.session, HELD)
    if not held:
        return see_other("/police/alerts/new")
    draft = drafts.from_held(held)
    try:
        preview = AlertsApi(apis(request), staff.token).preview(draft.message())
    except Refusal as refused:  # e.g. the ward has no groups any more
        if refused.status != 422:
            raise
        errors = drafts.problem_errors(list(refused.problems), sentence(refused.message))
        return _form(request, staff, drafts.AlertDraft(draft.values, errors, draft.attachment), 422)
    return render_form(
        request,
        "police_alert_check.html",
        title="Check your alert",
        active="police-alerts",
        draft=draft,
        preview=preview,
        types=drafts.TYPES,
        priorities=drafts.PRIORITIES,
    )


@router.post("/police/alerts/check")
async def send_alert(request: Request) -> Response:
    _user, fields = await signed_in_form(request)
    staff = signed_in_staff(request, POLICE)
    if fields.get("step") == "change":
        return see_other("/police/alerts/new?change=yes")
    # Taken: a second press of Send finds nothing held and sends nothing twice.
    held = portal(request).take_held(staff.user.session, HELD)
    if not held:
        return see_other("/police/alerts/new")
    draft = drafts.from_held(held)
    try:
        sent: Any = await run_in_threadpool(
            AlertsApi(apis(request), staff.token).send, draft.message()
        )
    except Refusal as refused:
        if refused.status != 422:
            raise
        portal(request).hold(staff.user.session, HELD, draft.held())
        errors = drafts.problem_errors(list(refused.problems), sentence(refused.message))
        failed = drafts.AlertDraft(draft.values, errors, draft.attachment)
        return await run_in_threadpool(_form, request, staff, failed, 422)
    if sent.get("status") == "waiting":  # held by the force's rule: nothing sent yet
        return see_other(f"/police/alerts/waiting/{sent['id']}?done=held")
    return see_other(f"/police/alerts/{sent['id']}?done=sent")
