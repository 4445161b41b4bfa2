"""A new staff member's set-up link (mailed by messaging when their administrator created the
account): they choose their first password, then sign in and set up their authenticator app,
which every staff page asks for first (staff.py). Identity spends the link as it spends a
password reset link: once, before it expires."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from snp_portal.entrypoints.password_links import choose_password, password_form, public_page

router = APIRouter()
TITLE = "Set up your staff account"


def _link_gone(request: Request, used: bool) -> HTMLResponse:
    title = "This set-up link has already been used" if used else "This set-up link has expired"
    paragraphs = [
        "A set-up link works once, for 3 days.",
        "If you have already chosen your password, sign in. If not, ask your force's"
        " administrator to create your account again, or ask for a password reset link.",
    ]
    link = {"href": "/sign-in", "text": "Sign in"}
    return public_page(request, "message.html", title, 410, paragraphs=paragraphs, link=link)


@router.get("/set-up/done")
def done(request: Request) -> Response:
    paragraphs = [
        "Your password is set. Sign in with it: you will then be asked to set up an"
        " authenticator app on your phone, before any staff page opens.",
    ]
    link = {"href": "/sign-in?next=/staff/second-factor", "text": "Sign in"}
    return public_page(
        request, "message.html", "Your password is set", paragraphs=paragraphs, link=link
    )


@router.get("/set-up/{token}")
def set_up_form(request: Request, token: str) -> Response:
    return password_form(request, token, "set_up.html", TITLE, _link_gone)


@router.post("/set-up/{token}")
async def set_up(request: Request, token: str) -> Response:
    return await choose_password(request, token, "set_up.html", TITLE, _link_gone, "/set-up/done")
