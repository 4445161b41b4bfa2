"""A new staff member's set-up link (mailed by messaging when their administrator created the
account): they choose their first password, then sign in and set up their authenticator app,
which every staff page asks for first (staff.py). Identity spends the link as it spends a
password reset link: once, before it expires."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.passwords import new_password_errors, refused_password
from snp_portal.entrypoints.routes_password_reset import TOKEN
from snp_portal.entrypoints.web import apis, posted_form, see_other, session_or_new, set_cookie

router = APIRouter()
TITLE = "Set up your staff account"


def _page(
    request: Request, template: str, title: str, status: int = 200, **context: Any
) -> HTMLResponse:
    session, fresh = session_or_new(request)
    page = render_form(request, template, status_code=status, title=title, **context)
    if fresh:
        set_cookie(request, page, session)
    return page


def _link_gone(request: Request, used: bool) -> HTMLResponse:
    title = "This set-up link has already been used" if used else "This set-up link has expired"
    paragraphs = [
        "A set-up link works once, for 3 days.",
        "If you have already chosen your password, sign in. If not, ask your force's"
        " administrator to create your account again, or ask for a password reset link.",
    ]
    link = {"href": "/sign-in", "text": "Sign in"}
    return _page(request, "message.html", title, 410, paragraphs=paragraphs, link=link)


@router.get("/set-up/done")
def done(request: Request) -> Response:
    paragraphs = [
        "Your password is set. Sign in with it: you will then be asked to set up an"
        " authenticator app on your phone, before any staff page opens.",
    ]
    link = {"href": "/sign-in?next=/staff/second-factor", "text": "Sign in"}
    return _page(request, "message.html", "Your password is set", paragraphs=paragraphs, link=link)


@router.get("/set-up/{token}")
def set_up_form(request: Request, token: str) -> Response:
    if not TOKEN.fullmatch(token):
        return _link_gone(request, used=False)
    return _page(request, "set_up.html", TITLE, token=token)


@router.post("/set-up/{token}")
async def set_up(request: Request, token: str) -> Response:
    _session, form = await posted_form(request)
    if not TOKEN.fullmatch(token):
        return _link_gone(request, used=False)
    errors = new_password_errors(form)
    if errors:
        return _page(request, "set_up.html", TITLE, 400, errors=errors, token=token)
    body = {"new_password": form["new_password"]}
    try:
        apis(request).identity.post(f"/password-resets/{token}", json=body)
    except Refusal as refusal:
        if refusal.status == 410:
            return _link_gone(request, used=refusal.kind == "reset-link-used")
        if refusal.status != 422:
            raise
        errors = {"new_password": refused_password(refusal)}
        return _page(request, "set_up.html", TITLE, 400, errors=errors, token=token)
    return see_other("/set-up/done")
