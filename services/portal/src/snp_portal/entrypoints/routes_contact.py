"""My contact details (identity's `PUT /identity/me/contact`), and where messaging marked an
address as having a delivery problem after a bounce, what it was and how to put it right.
Changing that address lifts the mark (messaging learns of it from identity's event)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal, ServiceUnavailable
from snp_portal.domain import dates
from snp_portal.domain.refusals import errors_by_opening
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.web import SignedIn, apis, see_other, signed_in, signed_in_form

router = APIRouter()

# Identity's refusals name the detail first ("phone must be ..."); the form's words for each.
_REFUSALS = (
    ("display_name", "name", "Enter your name, up to 100 characters, without special characters"),
    ("email must", "email", "Enter an email address in the correct format, like name@example.com"),
    ("this email address", "email", "This email address cannot be used. Enter another one"),
    ("phone", "phone", "Enter a mobile phone number in international format, like +447700900123"),
)
_CHANNEL = {"email": ("Emails", "email"), "sms": ("Text messages", "phone")}


def delivery_problems(problems: list[dict[str, Any]], me: dict[str, Any]) -> list[str]:
    """One plain sentence per marked channel: what happened to which address, and when."""
    found = []
    for problem in problems:
        what, detail = _CHANNEL.get(problem.get("channel", ""), ("Messages", "email"))
        address = me.get(detail) or "your address"
        verb = "bounced" if problem.get("outcome") == "bounced" else "could not be delivered"
        found.append(f"{what} to {address} {verb} on {dates.day(problem['recorded_at'])}.")
    return found


def _problems(request: Request, user: SignedIn, me: dict[str, Any]) -> list[str]:
    try:
        answer = apis(request).messaging.get("/preferences", user.token)
    except ServiceUnavailable:  # the details can still be changed while messaging is away
        return []
    return delivery_problems(answer.get("delivery_problems", []), me)


def _page(
    request: Request,
    user: SignedIn,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    saved: bool = False,
) -> Response:
    me = apis(request).identity.get("/me", user.token)
    return render_form(
        request,
        "contact.html",
        errors,
        values,
        status_code,
        title="Your contact details",
        active="account",
        # Just saved: a mark messaging has not yet lifted would name the new address.
        problems=[] if saved else _problems(request, user, me),
        saved=saved,
    )


@router.get("/account/contact")
def contact(request: Request, saved: str | None = None) -> Response:
    user = signed_in(request)
    me = apis(request).identity.get("/me", user.token)
    values = {"name": me["display_name"], "email": me["email"], "phone": me.get("phone", "")}
    return _page(request, user, values, saved=saved == "1")


@router.post("/account/contact")
async def change_contact(request: Request) -> Response:
    user, form = await signed_in_form(request)
    values = {
        "name": form.get("name", "").strip(),
        "email": form.get("email", "").strip(),
        # People write numbers with spaces and brackets; identity wants +447700900123.
        "phone": "".join(c for c in form.get("phone", "") if c not in " -()"),
    }
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter your name"
    if not values["email"]:
        errors["email"] = "Enter your email address"
    elif "@" not in values["email"]:
        errors["email"] = _REFUSALS[1][2]
    if errors:
        return _page(request, user, values, errors, status_code=400)
    body = {"display_name": values["name"], "email": values["email"], "phone": values["phone"]}
    try:
        apis(request).identity.put("/me/contact", user.token, json=body)
    except Refusal as refused:
        if refused.status != 422:
            raise
        return _page(request, user, values, _refusal_errors(refused), status_code=422)
    return see_other("/account/contact?saved=1")


def _refusal_errors(refused: Refusal) -> dict[str, str]:
    """Identity's refusal on the form's fields, in the form's words."""
    said = (f"{name} {message}".strip() for name, message in refused.field_messages.items())
    return errors_by_opening(said, _REFUSALS) or {"name": refused.message}
