"""Register with a force (identity's `POST /identity/tenants/{tenant}/accounts`), then be
signed in and go back to where the user was going (a group's page, usually).

Identity refuses a taken email address with a message of its own. The page says it in the same
neutral words whatever the cause, but an answer that differs from success still tells the
sender the address is registered: see docs/portal.md."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.forces import Force
from snp_portal.domain.form_problems import registration_errors
from snp_portal.entrypoints.force_pages import the_force
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.web import (
    apis,
    portal,
    posted_form,
    safe_next,
    see_other,
    session_or_new,
    set_cookie,
    with_query,
)

router = APIRouter()

MAX_NAME, MAX_EMAIL, MAX_PASSWORD = 100, 254, 1024  # identity's bounds


def _form(
    request: Request,
    force: Force,
    next_url: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render_form(
        request,
        "register.html",
        errors,
        values,
        status_code,
        title=f"Create an account with {force.display_name}",
        force_slug=force.slug,
        force_name=force.display_name,
        next=next_url,
    )


def _input_errors(values: dict[str, str], password: str, confirm: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter your name"
    elif len(values["name"]) > MAX_NAME:
        errors["name"] = f"Your name must be {MAX_NAME} characters or fewer"
    if not values["email"]:
        errors["email"] = "Enter your email address"
    elif "@" not in values["email"] or len(values["email"]) > MAX_EMAIL:
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if not password:
        errors["password"] = "Enter a password"  # noqa: S105 (a message, not a secret)
    elif len(password) > MAX_PASSWORD:
        errors["password"] = "Your password must be 128 characters or fewer"  # noqa: S105
    elif password != confirm:
        errors["confirm"] = "The passwords do not match. Enter the same password twice"
    return errors


@router.get("/forces/{tenant}/register")
def register_form(request: Request, tenant: str, next: str | None = None) -> Response:
    force = the_force(request, tenant)
    session, fresh = session_or_new(request)
    if session.signed_in:
        return see_other(safe_next(next, f"/forces/{force.slug}"))
    page = _form(request, force, safe_next(next, f"/forces/{force.slug}"))
    if fresh:
        set_cookie(request, page, session)
    return page


@router.post("/forces/{tenant}/register")
async def register(request: Request, tenant: str, next: str | None = None) -> Response:
    force = the_force(request, tenant)
    session, form = await posted_form(request)
    next_url = safe_next(next, f"/forces/{force.slug}")
    values = {"name": form.get("name", "").strip(), "email": form.get("email", "").strip()}
    password, confirm = form.get("password", ""), form.get("confirm", "")
    errors = _input_errors(values, password, confirm)
    if errors:  # passwords are never put back into the form
        return _form(request, force, next_url, values, errors, 400)
    body = {"display_name": values["name"], "email": values["email"], "password": password}
    try:
        apis(request).identity.post(f"/tenants/{force.slug}/accounts", json=body)
    except Refusal as refused:
        if refused.status not in (409, 422):
            raise
        problems = list(refused.problems) or [("", refused.message)]
        return _form(request, force, next_url, values, registration_errors(problems), 400)
    signed, refused_sign_in = portal(request).sign_in(
        session, force.slug, values["email"], password, None
    )
    if refused_sign_in is not None:  # made, but not signed in (identity busy): sign in by hand
        return see_other(with_query("/sign-in", next=next_url))
    done = see_other(with_query(next_url, registered="1"))
    set_cookie(request, done, signed)
    return done
