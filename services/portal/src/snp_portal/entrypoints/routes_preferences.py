"""My preferences: the channels messages reach me on, the wards I want police alerts for, and
the lowest priority I want sent (messaging's `GET/PUT /messaging/preferences`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain.refusals import errors_by_opening
from snp_portal.entrypoints.pages import render_form
from snp_portal.entrypoints.web import SignedIn, apis, see_other, signed_in, signed_in_form

router = APIRouter()

CHANNELS = {"email": "Email", "sms": "Text message"}
PRIORITIES = {
    "low": ("Everything", "Low, normal, high and urgent messages"),
    "normal": ("Normal and above", "Normal, high and urgent messages"),
    "high": ("High and urgent only", None),
    "urgent": ("Urgent only", None),
}
_CHANNELS_REFUSED = "Choose email, text message or neither"
_AREAS_REFUSED = "Choose only wards from the list"
# Messaging lists its refusals without field names; each begins with what it is about.
_REFUSALS = (
    ("unknown channel", "channels", _CHANNELS_REFUSED),
    ("unknown ward", "areas", _AREAS_REFUSED),
    ("at most", "areas", _AREAS_REFUSED),
)


def _page(
    request: Request,
    user: SignedIn,
    current: dict[str, Any],
    chosen: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    saved: bool = False,
) -> Response:
    """The form: `current` is messaging's answer (its wards), `chosen` what the form shows."""
    me = apis(request).identity.get("/me", user.token)
    return render_form(
        request,
        "preferences.html",
        errors,
        status_code=status_code,
        title="Your message preferences",
        active="account",
        chosen=chosen,
        wards=current.get("wards", []),
        channels=CHANNELS,
        priorities=PRIORITIES,
        has_phone=bool(me.get("phone")),
        saved=saved,
    )


@router.get("/account/preferences")
def preferences(request: Request, saved: str | None = None) -> Response:
    user = signed_in(request)
    current = apis(request).messaging.get("/preferences", user.token)
    chosen = {k: current[k] for k in ("channels", "areas", "minimum_priority")}
    return _page(request, user, current, chosen, saved=saved == "1")


@router.post("/account/preferences")
async def change_preferences(request: Request) -> Response:
    user, form = await signed_in_form(request)
    posted = await request.form()  # Starlette keeps the parsed form: the same one, read again
    chosen = {
        "channels": [v for v in posted.getlist("channels") if isinstance(v, str)],
        "areas": [v for v in posted.getlist("areas") if isinstance(v, str)],
        "minimum_priority": form.get("minimum_priority", ""),
    }
    errors: dict[str, str] = {}
    status = 400
    if any(c not in CHANNELS for c in chosen["channels"]):
        errors["channels"] = _CHANNELS_REFUSED
    if chosen["minimum_priority"] not in PRIORITIES:
        errors["minimum_priority"] = "Select which messages you want sent to you"
    if not errors:
        try:
            apis(request).messaging.put("/preferences", user.token, json=chosen)
            return see_other("/account/preferences?saved=1")
        except Refusal as refused:
            if refused.status != 422:
                raise
            errors, status = _refusal_errors(refused), refused.status
    current = apis(request).messaging.get("/preferences", user.token)
    return _page(request, user, current, chosen, errors, status_code=status)


def _refusal_errors(refused: Refusal) -> dict[str, str]:
    """Messaging's refusal on the form's fields, in the form's words."""
    messages = refused.field_messages.values()
    return errors_by_opening(messages, _REFUSALS) or {"channels": refused.message}
