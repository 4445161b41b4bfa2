"""Force administration (tenant admins): when members' digests go — the time of day on
London's clock, and the weekday of weekly ones (messaging's `GET/PUT
/messaging/digest-schedule`; messaging and the policy decide)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain.refusals import errors_by_opening
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.routes_force_staff import tenant_admin
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
DIGESTS = "/force-admin/digests"
# Digests go on the quarter hour, on London's clock.
CLOCK_TIMES = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 15, 30, 45)]
WEEKDAYS = {
    day: day.capitalize()
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}
_TIME_REFUSED = "Select the time digests are sent"
_WEEKDAY_REFUSED = "Select the day weekly digests are sent"
_REFUSALS = (("time", "time", _TIME_REFUSED), ("weekday", "weekday", _WEEKDAY_REFUSED))


def _page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    saved: bool = False,
) -> Response:
    return render_form(
        request,
        "force_digests.html",
        errors,
        values,
        status_code,
        title="Digest time",
        active="force-digests",
        clock_times=CLOCK_TIMES,
        weekdays=WEEKDAYS,
        saved=saved,
    )


@router.get(DIGESTS)
def digest_schedule(request: Request, saved: str | None = None) -> Response:
    staff = tenant_admin(request)
    found: dict[str, Any] = apis(request).messaging.get("/digest-schedule", staff.token)
    return _page(request, {"time": found["time"], "weekday": found["weekday"]}, saved=saved == "1")


@router.post(DIGESTS)
async def change_digest_schedule(request: Request) -> Response:
    _user, form = await signed_in_form(request)
    staff = tenant_admin(request)
    values = {f: form.get(f, "") for f in ("time", "weekday")}
    errors: dict[str, str] = {}
    if values["time"] not in CLOCK_TIMES:
        errors["time"] = _TIME_REFUSED
    if values["weekday"] not in WEEKDAYS:
        errors["weekday"] = _WEEKDAY_REFUSED
    status = 400
    if not errors:
        try:
            await run_in_threadpool(
                apis(request).messaging.put, "/digest-schedule", staff.token, json=values
            )
            return see_other(f"{DIGESTS}?saved=1")
        except Refusal as refused:
            if refused.status != 422:
                raise
            messages = refused.field_messages.values()
            errors = errors_by_opening(messages, _REFUSALS) or {"time": refused.message}
            status = 422
    return _page(request, values, errors, status)
