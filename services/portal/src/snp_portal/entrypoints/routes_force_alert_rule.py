"""Force administration (tenant admins): the force's rule for police alerts, whether alerts to
the whole force and urgent alerts wait for a second police officer before anything is sent.
Messaging keeps the rule and the policy decides who may change it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.held_alerts import HeldAlertsApi
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.routes_force_staff import tenant_admin
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
RULE = "/force-admin/alert-approval"
CHOICES = {"on": True, "off": False}


def _page(
    request: Request,
    required: bool | None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    done: bool = False,
) -> Response:
    chosen = "" if required is None else ("on" if required else "off")
    return render_form(
        request,
        "force_alert_rule.html",
        errors,
        {"approval": chosen},
        status_code,
        title="Alert approval",
        active="force-alert-rule",
        required=required,
        done=done,
    )


@router.get(RULE)
def alert_rule(request: Request, done: str | None = None) -> Response:
    staff = tenant_admin(request)
    required = HeldAlertsApi(apis(request), staff.token).approval_required()
    return _page(request, required, done=done == "changed")


@router.post(RULE)
async def change_alert_rule(request: Request) -> Response:
    _user, fields = await signed_in_form(request)
    staff = tenant_admin(request)
    chosen = fields.get("approval", "")
    if chosen not in CHOICES:
        errors = {"approval": "Select whether these alerts wait for a second officer"}
        return await run_in_threadpool(_page, request, None, errors, 400)
    api = HeldAlertsApi(apis(request), staff.token)
    await run_in_threadpool(api.set_approval_required, CHOICES[chosen])
    return see_other(f"{RULE}?done=changed")
