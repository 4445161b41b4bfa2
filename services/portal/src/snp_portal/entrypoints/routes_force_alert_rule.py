"""Force administration (tenant admins): the force's rule for police alerts, two settings:
whether alerts to the whole force, and whether urgent alerts, wait for a second police officer
before anything is sent. Messaging keeps the rule and the policy decides who may change it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.held_alerts import HeldAlertsApi
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.routes_force_staff import tenant_admin
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
RULE = "/force-admin/alert-approval"
SETTINGS = ("force_wide", "urgent")  # each a checkbox of its own name, "yes" when ticked
TICKED = "yes"


def rule_words(force_wide: bool, urgent: bool) -> str:
    """The rule now, in a sentence."""
    if force_wide and urgent:
        waits = "alerts to the whole force and urgent alerts wait"
    elif force_wide:
        waits = "alerts to the whole force wait"
    elif urgent:
        waits = "urgent alerts wait"
    else:
        return "Now: every police alert is sent at once."
    return f"Now: {waits} for a second police officer to approve them."


def _page(
    request: Request,
    rule: tuple[bool, bool],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    done: bool = False,
) -> Response:
    ticked = {name: TICKED if on else "" for name, on in zip(SETTINGS, rule, strict=True)}
    return render_form(
        request,
        "force_alert_rule.html",
        errors,
        ticked,
        status_code,
        title="Alert approval",
        active="force-alert-rule",
        rule_now=rule_words(*rule),
        done=done,
    )


@router.get(RULE)
def alert_rule(request: Request, done: str | None = None) -> Response:
    staff = tenant_admin(request)
    rule = HeldAlertsApi(apis(request), staff.token).approval_rule()
    return _page(request, rule, done=done == "changed")


@router.post(RULE)
async def change_alert_rule(request: Request) -> Response:
    _user, fields = await signed_in_form(request)
    staff = tenant_admin(request)
    chosen = [fields.get(name, "") for name in SETTINGS]
    if any(value not in ("", TICKED) for value in chosen):  # only a forged form says else
        errors = {"force_wide": "Tick the alerts that wait for a second officer, or none"}
        rule = (chosen[0] == TICKED, chosen[1] == TICKED)
        return await run_in_threadpool(_page, request, rule, errors, 400)
    api = HeldAlertsApi(apis(request), staff.token)
    await run_in_threadpool(api.set_approval_rule, chosen[0] == TICKED, chosen[1] == TICKED)
    return see_other(f"{RULE}?done=changed")
