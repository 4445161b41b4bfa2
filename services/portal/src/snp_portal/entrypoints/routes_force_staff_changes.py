"""Changing a staff account (tenant admins): revoke or grant its role, disable it, erase it.
Each is a page that names what will happen and a button that confirms it; the post goes to
identity, whose policy decides (a forged post by anyone else is refused there). An admin's own
account is not changed from here: a force must not lose its last administrator by a click."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from snp_portal.adapters.api import Refusal
from snp_portal.domain import staff_accounts as words
from snp_portal.domain.authenticator_resets import refusal_words
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.routes_force_staff import (
    CONSOLE,
    AccountId,
    staff_account,
    tenant_admin,
)
from snp_portal.entrypoints.staff import Staff
from snp_portal.entrypoints.web import apis, see_other, signed_in_form

router = APIRouter()
ChangeSlug = Annotated[str, Path(pattern=r"^(revoke-role|grant-role|disable|erase)$")]
DONE = {
    "revoke-role": "role-revoked",
    "grant-role": "role-granted",
    "disable": "disabled",
    "erase": "erased",
}


def _change(
    request: Request, staff: Staff, account_id: AccountId, slug: str
) -> tuple[dict[str, object], words.Change]:
    account = staff_account(request, staff, account_id)
    found = words.change(slug, account)
    if found is None or account["account_id"] == staff.claims.account_id:
        raise HTTPException(404)  # nothing to confirm: the account's state does not allow it
    return account, found


@router.get(CONSOLE + "/{account_id}/{change}")
def confirm_page(request: Request, account_id: AccountId, change: ChangeSlug) -> Response:
    staff = tenant_admin(request)
    account, found = _change(request, staff, account_id, change)
    return render(
        request,
        "force_staff_confirm.html",
        title=found.heading,
        active="force-staff",
        account=account,
        change=found,
        errors={},
    )


@router.post(CONSOLE + "/{account_id}/{change}")
async def confirmed(request: Request, account_id: AccountId, change: ChangeSlug) -> Response:
    _user, _form = await signed_in_form(request)
    staff = tenant_admin(request)
    account, found = _change(request, staff, account_id, change)
    identity, path = apis(request).identity, f"/accounts/{account_id}"
    role = {"role": account["kind"]}
    calls = {
        "revoke-role": lambda: identity.delete(path + "/roles", staff.token, json=role),
        "grant-role": lambda: identity.post(path + "/roles", staff.token, json=role),
        "disable": lambda: identity.post(path + "/disable", staff.token),
        "erase": lambda: identity.delete(path, staff.token),
    }
    try:
        await run_in_threadpool(calls[found.slug])
    except Refusal as refused:
        if refused.status != 409:
            raise
        # e.g. the force's last active administrator: said on the page, nothing changed.
        words_shown = refusal_words(refused.kind, refused.message)
        return render(
            request,
            "force_staff_confirm.html",
            status_code=409,
            title=found.heading,
            active="force-staff",
            account=account,
            change=found,
            errors={"change": words_shown},
            error_items=[{"text": words_shown}],
        )
    if found.slug == "erase":
        return see_other(f"{CONSOLE}?erased=1")
    return see_other(f"{CONSOLE}/{account_id}?done={DONE[found.slug]}")
