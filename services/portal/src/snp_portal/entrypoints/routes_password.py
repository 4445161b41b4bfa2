"""Changing your password when signed in, and signing out everywhere."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.identity import Tokens
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.passwords import minutes, new_password_errors, refused_password
from snp_portal.entrypoints.web import apis, portal, see_other, signed_in, signed_in_form

router = APIRouter()

FIELDS = ("current_password", "new_password", "confirm_password")


def _form(
    request: Request, errors: dict[str, str], status: int = 200, **headers: str
) -> HTMLResponse:
    page = render(
        request,
        "password_change.html",
        status_code=status,
        title="Change your password",
        active="account",
        errors=errors,
        error_items=error_list({f: errors[f] for f in FIELDS if f in errors}),
    )
    page.headers.update(headers)
    return page


@router.get("/account/password")
def password_form(request: Request) -> Response:
    signed_in(request)
    return _form(request, {})


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    user, form = await signed_in_form(request)
    errors = new_password_errors(form)
    if not form.get("current_password"):
        errors = {"current_password": "Enter your current password", **errors}
    if errors:
        return _form(request, errors, 400)
    body = {"current_password": form["current_password"], "new_password": form["new_password"]}
    try:
        got = apis(request).identity.put("/me/password", user.token, json=body).json()
    except Refusal as refusal:
        if refusal.status == 429:
            text = f"Too many wrong passwords. Try again in {minutes(refusal.retry_after)}"
            return _form(request, {"current_password": text}, 429)
        if refusal.kind == "wrong-password":
            return _form(request, {"current_password": "Your current password is not right"}, 400)
        if refusal.status == 422:
            return _form(request, {"new_password": refused_password(refusal)}, 400)
        raise
    tokens = Tokens(got["access_token"], got["refresh_token"], int(got["expires_in"]))
    portal(request).renew_tokens(user.session, tokens)
    return see_other("/account/password/changed")


@router.get("/account/password/changed")
def changed(request: Request) -> Response:
    signed_in(request)
    paragraphs = [
        "You are still signed in here. Everywhere else you were signed in, you have been "
        "signed out, and will need your new password to sign in again.",
        "A page already open elsewhere can keep working for up to 15 minutes.",
    ]
    link = {"href": "/account", "text": "Back to your account"}
    return render(
        request,
        "message.html",
        title="Your password has been changed",
        active="account",
        errors={},
        paragraphs=paragraphs,
        link=link,
    )


@router.post("/account/sign-out-everywhere")
async def sign_out_everywhere(request: Request) -> Response:
    user, _form_values = await signed_in_form(request)
    apis(request).identity.delete("/me/sessions", user.token)
    portal(request).forget(user.session)
    done = see_other("/signed-out-everywhere")
    settings = request.app.state.settings
    done.delete_cookie(
        settings.cookie_name,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return done


@router.get("/signed-out-everywhere")
def signed_out_everywhere(request: Request) -> Response:
    request.state.session = None
    paragraphs = [
        "Every device where you were signed in to your account will ask you to sign in again.",
        "A page a device already had open can keep working for up to 15 minutes, until its "
        "access runs out: access already given cannot be called back, it expires by itself.",
        "If you think someone else knows your password, sign in and change it.",
    ]
    return render(
        request,
        "message.html",
        title="You have signed out everywhere",
        errors={},
        paragraphs=paragraphs,
        link={"href": "/sign-in", "text": "Sign in again"},
    )
