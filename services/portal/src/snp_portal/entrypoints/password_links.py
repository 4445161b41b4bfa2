"""Choosing a password on a link identity mailed: a forgotten password's reset link, or a new
staff member's set-up link. Identity spends both the same way (once, before they expire); the
pages differ only in their words and where they lead."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.passwords import new_password_errors, refused_password
from snp_portal.entrypoints.web import apis, posted_form, see_other, session_or_new, set_cookie

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")  # identity's own pattern for the path

# A link that cannot be spent: (request, whether it was used rather than expired) -> its page.
LinkGone = Callable[[Request, bool], HTMLResponse]


def public_page(
    request: Request, template: str, title: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page for someone not signed in, with a fresh session for its form's CSRF token."""
    session, fresh = session_or_new(request)
    page = render_form(request, template, status_code=status, title=title, **context)
    if fresh:
        set_cookie(request, page, session)
    return page


def password_form(
    request: Request, token: str, template: str, title: str, link_gone: LinkGone
) -> Response:
    if not TOKEN.fullmatch(token):
        return link_gone(request, False)
    return public_page(request, template, title, token=token)


async def choose_password(
    request: Request, token: str, template: str, title: str, link_gone: LinkGone, done: str
) -> Response:
    """Check the new password, have identity spend the link with it, then go to `done`."""
    _session, form = await posted_form(request)
    if not TOKEN.fullmatch(token):
        return link_gone(request, False)
    errors = new_password_errors(form)
    if errors:
        return public_page(request, template, title, 400, errors=errors, token=token)
    try:
        apis(request).identity.post(
            f"/password-resets/{token}", json={"new_password": form["new_password"]}
        )
    except Refusal as refusal:
        if refusal.status == 410:
            return link_gone(request, refusal.kind == "reset-link-used")
        if refusal.status != 422:
            raise
        errors = {"new_password": refused_password(refusal)}
        return public_page(request, template, title, 400, errors=errors, token=token)
    return see_other(done)
