"""Setting up an authenticator app (or replacing a lost one), and recovery codes: shown once,
with a download that works once, for this session only. What a page shows once is held in the
session's row, sealed, between the post and the page it redirects to (Portal.hold)."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.qr import grouped, qr_svg
from snp_portal.entrypoints.web import apis, portal, safe_next, see_other, signed_in, signed_in_form

router = APIRouter()

ENROLMENT, CODES, DOWNLOAD = "enrolment", "recovery-codes", "recovery-codes-download"
NEEDS_CODE_SIGN_IN = (
    "To change your authenticator app or your recovery codes, sign out, then sign in again "
    "with a code from your authenticator app or one of your recovery codes."
)


def _page(
    request: Request, template: str, title: str, status: int = 200, **context: Any
) -> HTMLResponse:
    errors = context.pop("errors", {})
    return render(
        request,
        template,
        status_code=status,
        title=title,
        active="account",
        errors=errors,
        error_items=error_list(errors),
        **context,
    )


def _scan_page(request: Request, enrolment: dict[str, Any], errors: dict[str, str]) -> HTMLResponse:
    return _page(
        request,
        "authenticator_scan.html",
        "Scan the QR code with your authenticator app",
        400 if errors else 200,
        errors=errors,
        qr=qr_svg(enrolment["otpauth_uri"]),
        secret=grouped(enrolment["secret"]),
        replacing=enrolment["replacing"],
    )


@router.get("/account/authenticator")
def authenticator(request: Request) -> Response:
    user = signed_in(request)
    enrolment = portal(request).held(user.session, ENROLMENT)
    if enrolment is not None:
        return _scan_page(request, enrolment, {})
    me = portal(request).identity.me(user.token)
    title = "Replace your authenticator app" if me.totp_enrolled else "Set up an authenticator app"
    return _page(request, "authenticator_start.html", title, enrolled=me.totp_enrolled)


@router.post("/account/authenticator")
async def start(request: Request) -> Response:
    user, _form = await signed_in_form(request)
    me = portal(request).identity.me(user.token)
    path = "/me/totp/replacement" if me.totp_enrolled else "/me/totp"
    try:
        got = apis(request).identity.post(path, user.token).json()
    except Refusal as refusal:
        if refusal.status != 403:
            raise
        return _page(
            request, "message.html", "You cannot do this yet", 403, paragraphs=[NEEDS_CODE_SIGN_IN]
        )
    enrolment = {**got, "replacing": me.totp_enrolled}
    portal(request).hold(user.session, ENROLMENT, enrolment)
    return see_other("/account/authenticator")


@router.post("/account/authenticator/confirm")
async def confirm(request: Request) -> Response:
    user, form = await signed_in_form(request)
    enrolment = portal(request).held(user.session, ENROLMENT)
    if enrolment is None:  # timed out, or confirmed in another tab
        return see_other("/account/authenticator")
    code = "".join(form.get("code", "").split())
    if not code:
        return _scan_page(request, enrolment, {"code": "Enter the 6-digit code from your app"})
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return _scan_page(request, enrolment, {"code": "The code must be 6 digits, like 123456"})
    try:
        got = apis(request).identity.post("/me/totp/confirm", user.token, json={"code": code})
    except Refusal as refusal:
        if refusal.status not in (409, 422):
            raise
        wrong = "The code is not right. Check the time on your phone is set automatically, then enter the code your app shows now"  # noqa: E501
        return _scan_page(request, enrolment, {"code": wrong})
    portal(request).take_held(user.session, ENROLMENT)
    portal(request).hold(user.session, CODES, got.json()["recovery_codes"])
    return see_other("/account/recovery-codes")


@router.get("/account/recovery-codes")
def recovery_codes(request: Request) -> Response:
    """The codes once; a reload shows that they were shown, and the way to make new ones."""
    user = signed_in(request)
    codes = portal(request).take_held(user.session, CODES)
    download = None
    if codes:
        download = secrets.token_urlsafe(16)
        portal(request).hold(user.session, DOWNLOAD, [download, codes])
    me = portal(request).identity.me(user.token)
    title = "Your recovery codes" if codes else "Recovery codes"
    return _page(request, "recovery_codes.html", title, codes=codes, download=download, account=me)


@router.post("/account/recovery-codes")
async def renew_recovery_codes(request: Request) -> Response:
    user, _form = await signed_in_form(request)
    try:
        got = apis(request).identity.post("/me/recovery-codes", user.token).json()
    except Refusal as refusal:
        if refusal.status != 403:
            raise
        return _page(
            request, "message.html", "You cannot do this yet", 403, paragraphs=[NEEDS_CODE_SIGN_IN]
        )
    portal(request).hold(user.session, CODES, got["recovery_codes"])
    return see_other("/account/recovery-codes")


@router.get("/account/recovery-codes/{download}/recovery-codes.txt")
def download_codes(request: Request, download: str) -> Response:
    user = signed_in(request)
    found = portal(request).take_held(user.session, DOWNLOAD)
    if found is None or not secrets.compare_digest(found[0], download):
        text = "This download has gone: recovery codes can be downloaded once, when they are shown."
        return _page(request, "message.html", "Page not found", 404, paragraphs=[text])
    body = "Safer Neighbourhoods Platform: your recovery codes\n"
    body += "Each code works once, in place of a code from your authenticator app.\n\n"
    body += "\n".join(found[1]) + "\n"
    headers = {"Content-Disposition": 'attachment; filename="recovery-codes.txt"'}
    return Response(body, media_type="text/plain; charset=utf-8", headers=headers)


@router.get("/account/recovered")
def recovered(request: Request, next: str | None = None) -> Response:
    """After signing in with a recovery code: what is left, and a new authenticator first."""
    user = signed_in(request)
    me = portal(request).identity.me(user.token)
    return _page(
        request,
        "recovered.html",
        "You signed in with a recovery code",
        account=me,
        next=safe_next(next),
    )
