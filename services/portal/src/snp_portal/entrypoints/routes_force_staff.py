"""Force administration (tenant admins): the force's staff accounts, one account's page, and
creating one. A new account gets no password from the admin: identity records a set-up link
and messaging mails it to the new person, who chooses their password (routes_set_up.py) and
must set up an authenticator before anything else. Identity and the policy decide."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain import agencies as agency_words
from snp_portal.domain import authenticator_resets as resets
from snp_portal.domain import staff_accounts as words
from snp_portal.domain.form_problems import NEUTRAL_EMAIL, registration_errors
from snp_portal.entrypoints.pages import render, render_form
from snp_portal.entrypoints.staff import Staff, signed_in_staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
TENANT_ADMINS = frozenset({"tenant_admin"})
AccountId = Annotated[uuid.UUID, Path()]
CONSOLE = "/force-admin/staff"


def tenant_admin(request: Request) -> Staff:
    return signed_in_staff(request, TENANT_ADMINS)


def staff_accounts(request: Request, staff: Staff) -> list[dict[str, Any]]:
    return list(apis(request).identity.get("/accounts", staff.token)["accounts"])


def staff_account(request: Request, staff: Staff, account_id: uuid.UUID) -> dict[str, Any]:
    """One of the force's staff accounts from identity's list (a force has hundreds, not
    millions); 404 for any other id, a resident's or another force's included."""
    for account in staff_accounts(request, staff):
        if account["account_id"] == str(account_id):
            return account
    raise HTTPException(404)


@router.get("/force-admin")
def console(request: Request) -> Response:
    tenant_admin(request)
    return see_other(CONSOLE)


@router.get(CONSOLE)
def staff_list(request: Request) -> Response:
    staff = tenant_admin(request)
    accounts = staff_accounts(request, staff)
    created = request.query_params.get("created", "")
    return render(
        request,
        "force_staff.html",
        title="Staff accounts",
        active="force-staff",
        accounts=accounts,
        words=words,
        resets=resets,
        created=next((a for a in accounts if a["account_id"] == created), None),
        erased=request.query_params.get("erased") == "1",
        errors={},
    )


@router.get(CONSOLE + "/new")
def new_form(request: Request) -> Response:
    staff = tenant_admin(request)
    return _new_form(request, staff)


def _new_form(
    request: Request,
    staff: Staff,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    # A partner account acts for one of the force's active agencies, chosen here.
    found = apis(request).identity.get("/agencies", staff.token)["agencies"]
    return render_form(
        request,
        "force_staff_new.html",
        errors,
        values,
        status_code,
        title="Create a staff account",
        active="force-staff",
        kinds=words.KIND_NAMES,
        agencies=agency_words.active(found),
    )


@router.post(CONSOLE + "/new")
async def create(request: Request) -> Response:
    _user, form = await signed_in_form(request)
    staff = tenant_admin(request)
    values = {f: form.get(f, "").strip() for f in ("name", "email", "kind", "agency")}
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the person's full name"
    if not values["email"]:
        errors["email"] = "Enter the person's work email address"
    if values["kind"] not in words.CREATABLE:
        errors["kind"] = "Select what kind of staff account it is"
    if values["kind"] == "partner" and not values["agency"]:
        errors["agency"] = "Select the agency the partner works for"
    if errors:
        return _new_form(request, staff, values, errors, 400)
    body = {"display_name": values["name"], "email": values["email"], "kind": values["kind"]}
    if values["kind"] == "partner":
        body["agency_id"] = values["agency"]
    try:
        made = await run_in_threadpool(
            apis(request).identity.post, "/accounts", staff.token, json=body
        )
    except Refusal as refused:
        if refused.status == 403:
            raise
        problems = list(refused.problems) or [("", refused.message)]
        errors = registration_errors(problems)
        if any("agency" in message for _field, message in problems):
            errors = {"agency": "Select one of the force's active agencies"}
        if errors.get("email") == NEUTRAL_EMAIL:  # the admin is told plainly: it is their force
            errors["email"] = "This email address already has an account with the force"
        return _new_form(request, staff, values, errors, refused.status)
    return see_other(f"{CONSOLE}?created={made.json()['account_id']}")


@router.get(CONSOLE + "/{account_id}")
def account_page(request: Request, account_id: AccountId) -> Response:
    staff = tenant_admin(request)
    accounts = staff_accounts(request, staff)
    account = next((a for a in accounts if a["account_id"] == str(account_id)), None)
    if account is None:
        raise HTTPException(404)
    yourself = account["account_id"] == staff.claims.account_id
    return render(
        request,
        "force_staff_account.html",
        title=account["display_name"],
        active="force-staff",
        account=account,
        words=words,
        yourself=yourself,
        changes=[] if yourself else words.changes(account),
        resets=resets,
        asked_by=resets.asked_by_name(accounts, account),
        me=staff.claims.account_id,
        done=request.query_params.get("done", ""),
        errors={},
    )
