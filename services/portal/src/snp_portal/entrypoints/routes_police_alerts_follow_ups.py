"""A sent alert's follow-ups, from its page: "Send a correction" (new words to exactly the
same recipients) and "Withdraw this alert" (what members are told, and why). Messaging copies
the original's recipients and decides who may (its sender); the page shows that a follow-up
went."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.alerts import AlertsApi
from snp_portal.adapters.api import Refusal
from snp_portal.adapters.held_alerts import HeldAlertsApi
from snp_portal.domain import alert_governance as governance
from snp_portal.entrypoints.group_pages import Id, titled
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.staff import Staff, signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
POLICE = frozenset({"police"})
ALREADY = "This alert was withdrawn already, or is itself a follow-up: it cannot be followed up."


def _form(
    request: Request,
    staff: Staff,
    message_id: str,
    kind: str,
    filled: governance.Filled,
    status_code: int = 200,
) -> Response:
    message = AlertsApi(apis(request), staff.token).delivery(message_id)
    wording = governance.FOLLOW_UPS[kind]
    return render_form(
        request,
        "police_alert_follow_up.html",
        filled.errors,
        filled.values,
        status_code,
        title=titled(wording.title, message["subject"]),
        active="police-alerts",
        message=message,
        kind=kind,
        heading=wording.title,
    )


def _blank(request: Request, message_id: str, kind: str) -> Response:
    staff = signed_in_staff(request, POLICE)
    blank = governance.Filled({"subject": "", "body": "", "reason": ""})
    return _form(request, staff, message_id, kind, blank)


async def _send(request: Request, message_id: str, kind: str) -> Response:
    """The follow-up's fields checked first (messaging not asked when they are wrong), then
    messaging's answer: its 409 and 422 on the form, and nothing sent."""
    _user, fields = await signed_in_form(request)
    staff = signed_in_staff(request, POLICE)
    filled = governance.read_follow_up(kind, fields)
    if filled.errors:
        return await run_in_threadpool(_form, request, staff, message_id, kind, filled, 400)
    api = HeldAlertsApi(apis(request), staff.token)
    try:
        await run_in_threadpool(api.follow_up, message_id, kind, filled.values)
    except Refusal as refused:
        if refused.status not in (409, 422):
            raise
        words = ALREADY if refused.status == 409 else refused.message
        failed = governance.Filled(filled.values, {"body": words})
        return await run_in_threadpool(
            _form, request, staff, message_id, kind, failed, refused.status
        )
    done = governance.FOLLOW_UPS[kind].done
    return see_other(f"/police/alerts/{message_id}?done={done}")


@router.get("/police/alerts/{message_id}/correction")
def correction_form(request: Request, message_id: Id) -> Response:
    return _blank(request, message_id, "correction")


@router.post("/police/alerts/{message_id}/correction")
async def send_correction(request: Request, message_id: Id) -> Response:
    return await _send(request, message_id, "correction")


@router.get("/police/alerts/{message_id}/withdrawal")
def withdrawal_form(request: Request, message_id: Id) -> Response:
    return _blank(request, message_id, "withdrawal")


@router.post("/police/alerts/{message_id}/withdrawal")
async def send_withdrawal(request: Request, message_id: Id) -> Response:
    return await _send(request, message_id, "withdrawal")
