"""A new password's form, checked as far as the portal can (identity applies its rules), and
identity's refusals of it in GOV.UK's words."""

from __future__ import annotations

from snp_portal.adapters.api import Refusal


def new_password_errors(form: dict[str, str]) -> dict[str, str]:
    new, again = form.get("new_password", ""), form.get("confirm_password", "")
    if not new:
        return {"new_password": "Enter a new password"}
    if len(new) < 12:
        return {"new_password": "Password must be 12 characters or more"}
    if new != again:
        return {"confirm_password": "The passwords do not match. Enter the same password twice"}
    return {}


def refused_password(refusal: Refusal) -> str:
    """Identity's first password rule broken, as a sentence ("password is too common")."""
    message = next(iter(refusal.field_messages.values()), "") or refusal.message
    return message[:1].upper() + message[1:]


def minutes(seconds: int | None) -> str:
    count = max(1, -(-(seconds or 60) // 60))
    return f"{count} minute" if count == 1 else f"{count} minutes"
