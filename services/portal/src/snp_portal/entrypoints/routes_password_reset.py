"""Resetting a forgotten password: ask for a link by email, then choose a new password on the
link's page. Nothing here says whether an email address has an account."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.password_links import choose_password, password_form, public_page
from snp_portal.entrypoints.passwords import minutes
from snp_portal.entrypoints.sign_in_fields import force_and_email
from snp_portal.entrypoints.web import apis, posted_form, see_other

router = APIRouter()
TITLE = "Choose a new password"


@router.get("/forgot-password")
def forgot_form(request: Request) -> Response:
    return public_page(request, "forgot_password.html", "Reset your password", values={})


@router.post("/forgot-password")
async def forgot(request: Request) -> Response:
    _session, form = await posted_form(request)
    values, errors = force_and_email(form)
    if errors:
        return public_page(
            request,
            "forgot_password.html",
            "Reset your password",
            400,
            errors=errors,
            values=values,
        )
    try:
        apis(request).identity.post("/password-resets", json=values)
    except Refusal as refusal:
        if refusal.status == 429:
            text = f"Too many reset requests. Try again in {minutes(refusal.retry_after)}"
            page = public_page(
                request,
                "forgot_password.html",
                "Reset your password",
                429,
                errors={"email": text},
                values=values,
            )
            page.headers["Retry-After"] = str(refusal.retry_after or 60)
            return page
        if refusal.status != 422:  # a force name identity cannot read: answered like any
            raise
    return see_other("/forgot-password/sent")


@router.get("/forgot-password/sent")
def sent(request: Request) -> Response:
    paragraphs = [
        "If that email address has an account with that police force, we have sent it a link "
        "to reset the password.",
        "The link works once, for 30 minutes. If no email comes, check your spam folder, or "
        "check the force and the email address and ask again.",
    ]
    link = {"href": "/sign-in", "text": "Back to sign in"}
    return public_page(
        request, "message.html", "Check your email", paragraphs=paragraphs, link=link
    )


def _link_gone(request: Request, used: bool) -> HTMLResponse:
    title = "This link has already been used" if used else "This link has expired"
    paragraphs = [
        "A link to reset your password works once, for 30 minutes.",
        "You can ask for a new link.",
    ]
    link = {"href": "/forgot-password", "text": "Ask for a new link"}
    return public_page(request, "message.html", title, 410, paragraphs=paragraphs, link=link)


@router.get("/reset-password/done")
def done(request: Request) -> Response:
    paragraphs = [
        "Your password has been changed. Everywhere you were signed in, you have been signed "
        "out: sign in with your new password.",
    ]
    link = {"href": "/sign-in", "text": "Sign in"}
    return public_page(
        request, "message.html", "Your password has been changed", paragraphs=paragraphs, link=link
    )


@router.get("/reset-password/{token}")
def reset_form(request: Request, token: str) -> Response:
    return password_form(request, token, "reset_password.html", TITLE, _link_gone)


@router.post("/reset-password/{token}")
async def reset(request: Request, token: str) -> Response:
    return await choose_password(
        request, token, "reset_password.html", TITLE, _link_gone, "/reset-password/done"
    )
