"""The fields the signed-out forms share, the force's short name and the email address
(signing in, asking for a password reset link), checked before identity is asked."""

from __future__ import annotations

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def force_and_email(form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(values, errors): the force and email address as typed (trimmed; the force in lower
    case), and what is missing or malformed."""
    values = {
        "tenant": form.get("tenant", "").strip().lower(),
        "email": form.get("email", "").strip(),
    }
    errors: dict[str, str] = {}
    if not values["tenant"]:
        errors["tenant"] = "Enter the short name of your police force"
    if not values["email"]:
        errors["email"] = "Enter your email address"
    elif "@" not in values["email"]:
        errors["email"] = EMAIL_FORMAT
    return values, errors
