"""My preferences: the channels messages reach me on, the wards I want police alerts for, and
the lowest priority I want sent (messaging's `GET/PUT /messaging/preferences`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.web import SignedIn, apis, see_other, signed_in, signed_in_form

router = APIRouter()

CHANNELS = {"email": "Email", "sms": "Text message"}
PRIORITIES = {
    "low": ("Everything", "Low, normal, high and urgent messages"),
    "normal": ("Normal and above", "Normal, high and urgent messages"),
    "high": ("High and urgent only", None),
    "urgent": ("Urgent only", None),
}
# Messaging lists its refusals without field names; each begins with what it is about.
_REFUSAL_FIELDS = (("unknown channel", "channels"), ("unknown ward", "areas"), ("at most", "areas"))


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
    return render(
        request,
        "preferences.html",
        status_code=status_code,
        title="Your message preferences",
        active="account",
        chosen=chosen,
        wards=current.get("wards", []),
        channels=CHANNELS,
        priorities=PRIORITIES,
        has_phone=bool(me.get("phone")),
        saved=saved,
        errors=errors or {},
        error_items=error_list(errors or {}),
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
        errors["channels"] = "Choose email, text message or neither"
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


_MESSAGES = {
    "channels": "Choose email, text message or neither",
    "areas": "Choose only wards from the list",
}


def _refusal_errors(refused: Refusal) -> dict[str, str]:
    """Messaging's refusal on the form's fields, in the form's words."""
    errors: dict[str, str] = {}
    for message in refused.field_messages.values():
        field = next((f for prefix, f in _REFUSAL_FIELDS if message.startswith(prefix)), None)
        if field is not None:
            errors.setdefault(field, _MESSAGES[field])
    return errors or {"channels": refused.message}
