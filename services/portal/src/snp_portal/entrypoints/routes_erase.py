"""Erase my account: what happens, a confirmation, then identity's erasure. Identity refuses
(409 `last-leader`, naming the groups) while I am a group's only chair or coordinator; once it is
done the session is ended here and the page says so."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal, ServiceUnavailable
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.web import apis, portal, see_other, signed_in, signed_in_form

router = APIRouter()

CONFIRM = "Tick the box to confirm you want to erase your account"


def _page(
    request: Request,
    errors: dict[str, str] | None = None,
    error_items: list[dict[str, str]] | None = None,
    led: list[dict[str, Any]] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "erase.html",
        status_code=status_code,
        title="Erase your account",
        active="account",
        led=led or [],
        errors=errors or {},
        error_items=error_items if error_items is not None else error_list(errors or {}),
    )


@router.get("/account/erase")
def erase_form(request: Request) -> Response:
    signed_in(request)
    return _page(request)


@router.post("/account/erase")
async def erase(request: Request) -> Response:
    user, form = await signed_in_form(request)
    if form.get("confirm") != "yes":
        return _page(request, {"confirm": CONFIRM}, status_code=400)
    me = apis(request).identity.get("/me", user.token)
    try:
        apis(request).identity.delete(f"/accounts/{me['account_id']}", user.token)
    except Refusal as refused:
        if refused.kind == "last-administrator":  # a force always keeps an administrator
            return _page(request, {"confirm": refused.message}, status_code=409)
        if refused.kind != "last-leader":
            raise
        return _last_leader(request, refused)
    # Identity has revoked every token of the account; the session goes too (whatever identity
    # answers to signing out an erased account: the erasure is done).
    with contextlib.suppress(ServiceUnavailable):
        portal(request).end(user.session)
    done = see_other("/account/erased")
    settings = request.app.state.settings
    done.delete_cookie(
        settings.cookie_name, path="/", secure=settings.cookie_secure, httponly=True, samesite="lax"
    )
    return done


def _last_leader(request: Request, refused: Refusal) -> Response:
    """Each group I lead alone, linked to its members page, where I hand over."""
    led = [i for i in refused.items if i.get("group_id") and i.get("group_name")]
    items = [
        {
            "text": f"You are the only {g['office']} of {g['group_name']}. Hand over to another "
            "member before you erase your account",
            "href": f"/groups/{g['group_id']}/members",
        }
        for g in led
    ] or [{"text": refused.message, "href": "#confirm"}]
    return _page(request, {"last_leader": refused.message}, items, led, status_code=409)


@router.get("/account/erased")
def erased(request: Request) -> Response:
    request.state.session = None
    context: dict[str, Any] = {
        "paragraphs": [
            "Your name, email address and phone number can no longer be read by anyone, and "
            "you have been signed out.",
            "To use the platform again, register a new account.",
        ],
        "link": {"href": "/sign-in", "text": "Go to sign in"},
    }
    return render(
        request, "message.html", title="Your account has been erased", errors={}, **context
    )
