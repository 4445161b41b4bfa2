"""Resetting a forgotten password: ask for a link by email, then choose a new password on the
link's page. Nothing here says whether an email address has an account."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.passwords import minutes, new_password_errors, refused_password
from snp_portal.entrypoints.sign_in_fields import force_and_email
from snp_portal.entrypoints.web import apis, posted_form, see_other, session_or_new, set_cookie

router = APIRouter()

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")  # identity's own pattern for the path


def _page(
    request: Request, template: str, title: str, status: int = 200, **context: Any
) -> HTMLResponse:
    session, fresh = session_or_new(request)
    page = render_form(request, template, status_code=status, title=title, **context)
    if fresh:
        set_cookie(request, page, session)
    return page


@router.get("/forgot-password")
def forgot_form(request: Request) -> Response:
    return _page(request, "forgot_password.html", "Reset your password", values={})


@router.post("/forgot-password")
async def forgot(request: Request) -> Response:
    _session, form = await posted_form(request)
    values, errors = force_and_email(form)
    if errors:
        return _page(
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
            page = _page(
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
    return _page(request, "message.html", "Check your email", paragraphs=paragraphs, link=link)


def _link_gone(request: Request, used: bool) -> HTMLResponse:
    title = "This link has already been used" if used else "This link has expired"
    paragraphs = [
        "A link to reset your password works once, for 30 minutes.",
        "You can ask for a new link.",
    ]
    link = {"href": "/forgot-password", "text": "Ask for a new link"}
    return _page(request, "message.html", title, 410, paragraphs=paragraphs, link=link)


@router.get("/reset-password/done")
def done(request: Request) -> Response:
    paragraphs = [
        "Your password has been changed. Everywhere you were signed in, you have been signed "
        "out: sign in with your new password.",
    ]
    link = {"href": "/sign-in", "text": "Sign in"}
    return _page(
        request, "message.html", "Your password has been changed", paragraphs=paragraphs, link=link
    )


@router.get("/reset-password/{token}")
def reset_form(request: Request, token: str) -> Response:
    if not TOKEN.fullmatch(token):
        return _link_gone(request, used=False)
    return _page(request, "reset_password.html", "Choose a new password", token=token)


@router.post("/reset-password/{token}")
async def reset(request: Request, token: str) -> Response:
    _session, form = await posted_form(request)
    if not TOKEN.fullmatch(token):
        return _link_gone(request, used=False)
    errors = new_password_errors(form)
    if errors:
        return _page(
            request, "reset_password.html", "Choose a new password", 400, errors=errors, token=token
        )
    body = {"new_password": form["new_password"]}
    try:
        apis(request).identity.post(f"/password-resets/{token}", json=body)
    except Refusal as refusal:
        if refusal.status == 410:
            return _link_gone(request, used=refusal.kind == "reset-link-used")
        if refusal.status != 422:
            raise
        return _page(
            request,
            "reset_password.html",
            "Choose a new password",
            400,
            errors={"new_password": refused_password(refusal)},
            token=token,
        )
    return see_other("/reset-password/done")
