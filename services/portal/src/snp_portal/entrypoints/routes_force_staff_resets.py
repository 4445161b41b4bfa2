"""Resetting a staff member's authenticator (tenant admins): one administrator asks, with a
reason, on a page that names what will happen; a second one approves or rejects it on a
confirmation page. Identity's policy decides (never one's own account, never one's own
request): a refusal is shown in the GOV.UK error summary and nothing changes."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain import authenticator_resets as resets
from snp_portal.domain.staff_accounts import Change
from snp_portal.entrypoints.pages import render, render_form
from snp_portal.entrypoints.routes_force_staff import (
    CONSOLE,
    AccountId,
    staff_accounts,
    tenant_admin,
)
from snp_portal.entrypoints.staff import Staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
RequestId = Annotated[uuid.UUID, Path()]
Verb = Annotated[str, Path(pattern=r"^(approve|reject)$")]
RESET = CONSOLE + "/{account_id}/reset-authenticator"


def _account(
    request: Request, staff: Staff, account_id: uuid.UUID
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    accounts = staff_accounts(request, staff)
    for account in accounts:
        if account["account_id"] == str(account_id):
            return account, accounts
    raise HTTPException(404)


def _ask_page(
    request: Request,
    account: dict[str, Any],
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    change = resets.ask(account)
    return render_form(
        request,
        "force_staff_reset.html",
        errors,
        values,
        status_code,
        title=change.heading,
        active="force-staff",
        account=account,
        change=change,
        limit=resets.REASON_LIMIT,
    )


@router.get(RESET)
def ask_page(request: Request, account_id: AccountId) -> Response:
    staff = tenant_admin(request)
    account, _all = _account(request, staff, account_id)
    if account["account_id"] == staff.claims.account_id or not resets.can_be_asked(account):
        raise HTTPException(404)  # nothing to ask: identity would refuse it
    return _ask_page(request, account)


@router.post(RESET)
async def ask(request: Request, account_id: AccountId) -> Response:
    _user, form = await signed_in_form(request)
    staff = tenant_admin(request)
    account, _all = _account(request, staff, account_id)
    reason = form.get("reason", "").strip()
    if not reason:
        return _ask_page(request, account, {}, {"reason": "Enter why the reset is needed"}, 400)
    if len(reason) > resets.REASON_LIMIT:
        too_long = f"The reason must be {resets.REASON_LIMIT} characters or fewer"
        return _ask_page(request, account, {"reason": reason}, {"reason": too_long}, 400)
    path = f"/accounts/{account_id}/authenticator-resets"
    try:
        await run_in_threadpool(
            apis(request).identity.post, path, staff.token, json={"reason": reason}
        )
    except Refusal as refused:
        words = resets.refusal_words(refused.kind, refused.message)
        return _ask_page(request, account, {"reason": reason}, {"reason": words}, refused.status)
    return see_other(f"{CONSOLE}/{account_id}?done=reset-asked")


def _decision(
    request: Request, staff: Staff, account_id: uuid.UUID, request_id: uuid.UUID, verb: str
) -> tuple[dict[str, Any], Change]:
    account, accounts = _account(request, staff, account_id)
    waiting = account.get("authenticator_reset")
    if not waiting or waiting["request_id"] != str(request_id):
        raise HTTPException(404)  # decided already, or never asked
    asked_by = resets.asked_by_name(accounts, account)
    return account, (resets.approve if verb == "approve" else resets.reject)(account, asked_by)


def _decision_page(
    request: Request,
    account: dict[str, Any],
    change: Change,
    refusal: str | None = None,
    status_code: int = 200,
) -> Response:
    # A refusal names no field of this form: the summary says it, with no link.
    return render(
        request,
        "force_staff_confirm.html",
        status_code=status_code,
        title=change.heading,
        active="force-staff",
        account=account,
        change=change,
        errors={"decision": refusal} if refusal else {},
        error_items=[{"text": refusal}] if refusal else [],
    )


@router.get(RESET + "/{request_id}/{verb}")
def decision_page(
    request: Request, account_id: AccountId, request_id: RequestId, verb: Verb
) -> Response:
    staff = tenant_admin(request)
    account, change = _decision(request, staff, account_id, request_id, verb)
    return _decision_page(request, account, change)


@router.post(RESET + "/{request_id}/{verb}")
async def decided(
    request: Request, account_id: AccountId, request_id: RequestId, verb: Verb
) -> Response:
    _user, _form = await signed_in_form(request)
    staff = tenant_admin(request)
    account, change = _decision(request, staff, account_id, request_id, verb)
    path = f"/accounts/{account_id}/authenticator-resets/{request_id}/{verb}"
    try:
        await run_in_threadpool(apis(request).identity.post, path, staff.token)
    except Refusal as refused:
        words = resets.refusal_words(refused.kind, refused.message)
        return _decision_page(request, account, change, words, refused.status)
    done = "authenticator-reset" if verb == "approve" else "reset-rejected"
    return see_other(f"{CONSOLE}/{account_id}?done={done}")
