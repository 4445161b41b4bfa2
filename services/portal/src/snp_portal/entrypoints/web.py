"""What every page module shares: the session from the cookie, the signed-in user and their
token, posted forms checked for CSRF, redirects to sign-in and back, refusals as field errors.

A page that needs a signed-in user calls `signed_in(request)`; if there is none, or identity no
longer honours the session, `SignInFirst` takes the user to sign-in and back to this page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from snp_portal.adapters.api import Apis, NotSignedIn, Refusal
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.security import csrf_ok
from snp_portal.service_layer.auth import Portal


class CsrfRefused(Exception):
    """A form without the session's CSRF token: 403."""


class SignInFirst(Exception):
    """No signed-in session (or identity refused its token): sign in, then come back."""


@dataclass(frozen=True)
class SignedIn:
    session: Session
    token: str

    @property
    def tenant(self) -> str:
        return self.session.tenant or ""


def portal(request: Request) -> Portal:
    found: Portal = request.app.state.portal
    return found


def apis(request: Request) -> Apis:
    found: Apis = request.app.state.apis
    return found


def safe_next(raw: str | None, default: str = "/home") -> str:
    """Only a path on this site (never `//host` or a scheme): no open redirect."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return default
    return raw


def with_query(path: str, **params: str) -> str:
    """`path` with these query parameters added (or replaced)."""
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))


def set_cookie(request: Request, response: Response, session: Session) -> None:
    settings = request.app.state.settings
    response.set_cookie(
        settings.cookie_name,
        session.session_id,
        max_age=settings.session_absolute_seconds,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )


def current_session(request: Request) -> Session | None:
    cookie = request.cookies.get(request.app.state.settings.cookie_name)
    session = portal(request).current(cookie)
    request.state.session = session
    return session


def session_or_new(request: Request) -> tuple[Session, bool]:
    """The session, or a new signed-out one (True: its cookie must be set on the answer)."""
    session = current_session(request)
    if session is not None:
        return session, False
    session = portal(request).begin()
    request.state.session = session
    return session, True


def signed_in(request: Request) -> SignedIn:
    """The signed-in user with a usable access token, or SignInFirst."""
    return _with_token(request, current_session(request))


def _with_token(request: Request, session: Session | None) -> SignedIn:
    if session is None or not session.signed_in:
        raise SignInFirst
    try:
        token = portal(request).access_token(session)
    except NotSignedIn as refused:
        raise SignInFirst from refused
    return SignedIn(session, token)


async def posted_form(request: Request) -> tuple[Session, dict[str, str]]:
    """The posted form's text fields, once its CSRF token matches the session's."""
    session = current_session(request)
    form = await request.form()
    if session is None or not csrf_ok(session.csrf_token, form.get("csrf_token")):
        raise CsrfRefused
    return session, {k: v for k, v in form.items() if isinstance(v, str)}


async def signed_in_form(request: Request) -> tuple[SignedIn, dict[str, str]]:
    """A posted form from a signed-in user (CSRF checked before anything is asked of identity)."""
    session, form = await posted_form(request)
    return _with_token(request, session), form


def to_sign_in(request: Request) -> RedirectResponse:
    """To sign-in, then back to this page (a form's page: forms post to the page they are on)."""
    wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={quote(wanted, safe='')}", status_code=303)


def see_other(url: str) -> RedirectResponse:
    """After a successful post: Post/Redirect/Get."""
    return RedirectResponse(url, status_code=303)


def field_errors(refusal: Refusal, fields: dict[str, str], fallback: str) -> dict[str, str]:
    """A refusal as the page's errors: the service's message for each field the form has
    (`fields` maps the API's field name to the form's), else its detail on `fallback`."""
    errors: dict[str, str] = {}
    for api_name, message in refusal.field_messages.items():
        form_name = fields.get(api_name)
        if form_name and form_name not in errors:
            errors[form_name] = message
    if not errors:
        errors[fallback] = refusal.message
    return errors
