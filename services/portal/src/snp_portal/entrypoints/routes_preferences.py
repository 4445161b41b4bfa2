"""My preferences: the channels messages reach me on, the wards I want police alerts for, the
lowest priority I want sent, a daily or weekly digest of the less important ones, and quiet
hours (messaging's `GET/PUT /messaging/preferences`)."""

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
DIGESTS = {
    "none": ("No digest", "Each message is sent to you as it comes"),
    "daily": ("Daily digest", "One email a day listing them"),
    "weekly": ("Weekly digest", "One email a week listing them"),
}
# A digest holds the messages below this priority; urgent ones are always sent at once.
DIGEST_THRESHOLDS = {
    "normal": "Low priority messages",
    "high": "Low and normal priority messages",
    "urgent": "Everything except urgent messages",
}
# Quiet hours start and end on the half hour, on London's clock.
CLOCK_TIMES = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
TIMING_FIELDS = ("digest", "digest_below", "quiet", "quiet_start", "quiet_end")
_CHANNELS_REFUSED = "Choose email, text message or neither"
_DIGEST_REFUSED = "Select no digest, a daily digest or a weekly digest"
_DIGEST_NEEDS_EMAIL = "A digest is sent by email: select email, or no digest"
_THRESHOLD_REFUSED = "Select which messages go in your digest"
_QUIET_REFUSED = "Select when your quiet hours start and end, at different times"
_AREAS_REFUSED = "Choose only wards from the list"
# Messaging lists its refusals without field names; each begins with what it is about.
_REFUSALS = (
    ("unknown channel", "channels", _CHANNELS_REFUSED),
    ("unknown ward", "areas", _AREAS_REFUSED),
    ("at most", "areas", _AREAS_REFUSED),
    ("a digest is an email", "digest", _DIGEST_NEEDS_EMAIL),
    ("digest must", "digest", _DIGEST_REFUSED),
    ("digest_below", "digest_below", _THRESHOLD_REFUSED),
    ("unknown priority", "digest_below", _THRESHOLD_REFUSED),
    ("quiet hours", "quiet_start", _QUIET_REFUSED),
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
        digests=DIGESTS,
        thresholds=DIGEST_THRESHOLDS,
        clock_times=CLOCK_TIMES,
        has_phone=bool(me.get("phone")),
        saved=saved,
    )


@router.get("/account/preferences")
def preferences(request: Request, saved: str | None = None) -> Response:
    user = signed_in(request)
    current = apis(request).messaging.get("/preferences", user.token)
    chosen = {k: current[k] for k in ("channels", "areas", "minimum_priority")}
    return _page(request, user, current, _timing_shown(current) | chosen, saved=saved == "1")


def _timing_shown(current: dict[str, Any]) -> dict[str, str]:
    """The digest and quiet hours as the form shows them (a window of 22:00-07:00 offered
    while there is none)."""
    quiet = current.get("quiet_hours")
    return {
        "digest": current.get("digest", "none"),
        "digest_below": current.get("digest_below", "normal"),
        "quiet": "on" if quiet else "off",
        "quiet_start": quiet["start"] if quiet else "22:00",
        "quiet_end": quiet["end"] if quiet else "07:00",
    }


@router.post("/account/preferences")
async def change_preferences(request: Request) -> Response:
    user, form = await signed_in_form(request)
    posted = await request.form()  # Starlette keeps the parsed form: the same one, read again
    chosen = {
        "channels": [v for v in posted.getlist("channels") if isinstance(v, str)],
        "areas": [v for v in posted.getlist("areas") if isinstance(v, str)],
        "minimum_priority": form.get("minimum_priority", ""),
        **{f: form[f] for f in TIMING_FIELDS if f in form},  # left out: kept as they are
    }
    errors: dict[str, str] = {}
    status = 400
    if any(c not in CHANNELS for c in chosen["channels"]):
        errors["channels"] = _CHANNELS_REFUSED
    if chosen["minimum_priority"] not in PRIORITIES:
        errors["minimum_priority"] = "Select which messages you want sent to you"
    errors |= _timing_errors(chosen)
    if not errors:
        try:
            apis(request).messaging.put("/preferences", user.token, json=_asked(chosen))
            return see_other("/account/preferences?saved=1")
        except Refusal as refused:
            if refused.status != 422:
                raise
            errors, status = _refusal_errors(refused), refused.status
    current = apis(request).messaging.get("/preferences", user.token)
    shown = _timing_shown(current) | chosen
    return _page(request, user, current, shown, errors, status_code=status)


def _timing_errors(chosen: dict[str, Any]) -> dict[str, str]:
    """The digest and quiet hours fields checked as the form offers them (a field the post
    left out is left as it is)."""
    errors = {}
    if "digest" in chosen:
        if chosen["digest"] not in DIGESTS:
            errors["digest"] = _DIGEST_REFUSED
        elif chosen["digest"] != "none" and "email" not in chosen["channels"]:
            errors["digest"] = _DIGEST_NEEDS_EMAIL
    if "digest_below" in chosen and chosen["digest_below"] not in DIGEST_THRESHOLDS:
        errors["digest_below"] = _THRESHOLD_REFUSED
    if "quiet" in chosen and chosen["quiet"] not in ("on", "off"):
        errors["quiet"] = "Select whether you want quiet hours"
    elif chosen.get("quiet") == "on" and (
        chosen.get("quiet_start") not in CLOCK_TIMES
        or chosen.get("quiet_end") not in CLOCK_TIMES
        or chosen.get("quiet_start") == chosen.get("quiet_end")
    ):
        errors["quiet_start"] = _QUIET_REFUSED
    return errors


def _asked(chosen: dict[str, Any]) -> dict[str, Any]:
    """The form's choices as messaging's body; what the post left out messaging keeps."""
    asked = {k: chosen[k] for k in ("channels", "areas", "minimum_priority")}
    asked |= {k: chosen[k] for k in ("digest", "digest_below") if k in chosen}
    if "quiet" in chosen:
        on = chosen["quiet"] == "on"
        asked["quiet_hours"] = (
            {"start": chosen["quiet_start"], "end": chosen["quiet_end"]} if on else None
        )
    return asked


def _refusal_errors(refused: Refusal) -> dict[str, str]:
    """Messaging's refusal on the form's fields, in the form's words."""
    messages = refused.field_messages.values()
    return errors_by_opening(messages, _REFUSALS) or {"channels": refused.message}
