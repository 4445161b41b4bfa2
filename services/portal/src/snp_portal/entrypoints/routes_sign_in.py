"""Signing in (the password, then the authenticator code) and signing out."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from snp_portal.adapters.identity import Refused
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.pages import render, render_form
from snp_portal.entrypoints.passwords import minutes
from snp_portal.entrypoints.sign_in_fields import force_and_email
from snp_portal.entrypoints.web import (
    current_session,
    portal,
    posted_form,
    safe_next,
    session_or_new,
    set_cookie,
)

router = APIRouter()


def _sign_in_page(
    request: Request,
    session: Session,
    fresh: bool,
    next_url: str,
    template: str = "sign_in.html",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    title = "Sign in" if template == "sign_in.html" else "Enter your authenticator code"
    page = render_form(request, template, errors, values, status_code, title=title, next=next_url)
    page.headers.update(headers or {})
    if fresh:
        set_cookie(request, page, session)
    return page


@router.get("/sign-in")
def sign_in_form(request: Request, next: str | None = None) -> Response:
    session, fresh = session_or_new(request)
    if session.signed_in:
        return RedirectResponse(safe_next(next), status_code=303)
    return _sign_in_page(request, session, fresh, safe_next(next))


def _refusal_message(refused: Refused, with_code: bool) -> tuple[str, str, int]:
    """(field, message, status) for a refused sign-in."""
    if refused.reason == "throttled":
        return (
            "password" if not with_code else "code",
            f"Too many attempts to sign in. Try again in {minutes(refused.retry_after)}.",
            429,
        )
    if refused.reason == "second_factor":
        return "code", "The code is not right or has already been used. Enter a new code.", 401
    if refused.reason == "second_factor_reused":
        return (
            "code",
            "That code has already been used. Wait for your app to show a new code, then enter it.",
            401,
        )
    if refused.reason == "suspended":
        return "email", "This account cannot sign in. Ask your force administrator.", 403
    if refused.reason == "unavailable":
        return "email", "Sorry, signing in is not working right now. Try again later.", 503
    return "password", "The force, email address or password is not right.", 401


@router.post("/sign-in")
async def sign_in(request: Request, next: str | None = None) -> Response:
    session, form = await posted_form(request)
    next_url = safe_next(next)
    values, errors = force_and_email(form)
    if not form.get("password"):
        errors["password"] = "Enter your password"  # noqa: S105 (a message, not a secret)
    if errors:
        return _sign_in_page(
            request, session, False, next_url, errors=errors, values=values, status_code=400
        )
    signed, refused = portal(request).sign_in(
        session, values["tenant"], values["email"], form["password"], None
    )
    if refused is None:
        done = RedirectResponse(next_url, status_code=303)
        set_cookie(request, done, signed)
        return done
    if refused.reason == "second_factor":
        return RedirectResponse(f"/sign-in/code?next={quote(next_url, safe='')}", 303)
    field, message, status = _refusal_message(refused, with_code=False)
    headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
    return _sign_in_page(
        request,
        session,
        False,
        next_url,
        errors={field: message},
        values=values,
        status_code=status,
        headers=headers,
    )


@router.get("/sign-in/code")
def code_form(request: Request, next: str | None = None) -> Response:
    session = current_session(request)
    if session is None or portal(request).pending(session) is None:
        return RedirectResponse(f"/sign-in?next={quote(safe_next(next), safe='')}", 303)
    return _sign_in_page(request, session, False, safe_next(next), "sign_in_code.html")


@router.post("/sign-in/code")
async def sign_in_code(request: Request, next: str | None = None) -> Response:
    session, form = await posted_form(request)
    next_url = safe_next(next)
    pending = portal(request).pending(session)
    if pending is None:
        return RedirectResponse(f"/sign-in?next={quote(next_url, safe='')}", 303)
    code = form.get("code", "").replace(" ", "").strip()
    if not code:
        errors = {"code": "Enter the code from your authenticator app"}
        return _sign_in_page(
            request, session, False, next_url, "sign_in_code.html", errors, status_code=400
        )
    signed, refused, recovery_codes_left = portal(request).sign_in_telling_recovery(
        session, pending.tenant, pending.email, pending.password, code
    )
    if refused is None:
        if recovery_codes_left is not None:  # a recovery code: offer a new authenticator first
            next_url = f"/account/recovered?next={quote(next_url, safe='')}"
        done = RedirectResponse(next_url, status_code=303)
        set_cookie(request, done, signed)
        return done
    field, message, status = _refusal_message(refused, with_code=True)
    if refused.reason not in ("second_factor", "second_factor_reused", "throttled"):
        return _sign_in_page(
            request, session, False, next_url, errors={field: message}, status_code=status
        )
    headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
    if refused.reason == "throttled":  # the pending sign-in is dropped: start again later
        return _sign_in_page(
            request,
            session,
            False,
            next_url,
            errors={"password": message},
            values={"tenant": pending.tenant, "email": pending.email},
            status_code=status,
            headers=headers,
        )
    return _sign_in_page(
        request, session, False, next_url, "sign_in_code.html", {"code": message}, status_code=401
    )


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    session, _form_values = await posted_form(request)
    portal(request).end(session)
    done = RedirectResponse("/signed-out", status_code=303)
    done.delete_cookie(
        request.app.state.settings.cookie_name,
        path="/",
        secure=request.app.state.settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return done


@router.get("/signed-out")
def signed_out(request: Request) -> Response:
    request.state.session = None
    context: dict[str, Any] = {
        "paragraphs": ["Your session has ended on this device."],
        "link": {"href": "/sign-in", "text": "Sign in again"},
    }
    return render(request, "message.html", title="You have signed out", errors={}, **context)
