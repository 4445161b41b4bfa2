"""Identity's registration problems and membership's founding problems as the forms' GOV.UK
error messages, one per field."""

from __future__ import annotations

NEUTRAL_EMAIL = (
    "This email address cannot be used to register. Use another email address, or sign in if "
    "you already have an account"
)

# Identity's registration problems (snp_identity: contacts.py, passwords.py, accounts.py), by
# their opening words, as the form field and the message the page shows.
_REGISTRATION = (
    ("display_name must not contain", "name", "Your name must not contain control characters"),
    ("display_name", "name", "Enter your name, 100 characters at most"),
    (
        "email must be",
        "email",
        "Enter an email address in the correct format, like name@example.com",
    ),
    ("this email address cannot be used", "email", NEUTRAL_EMAIL),
    ("password must be at least", "password", "Your password must be at least 12 characters"),
    ("password must be at most", "password", "Your password must be 128 characters or fewer"),
    (
        "password is too common",
        "password",
        "Your password is too common. Choose one harder to guess, for example 3 random words",
    ),
    ("password repeats too few", "password", "Your password must use more different characters"),
    (
        "password must not contain",
        "password",
        "Your password must not contain your name or email address",
    ),
    ("password contains", "password", "Your password contains characters that cannot be typed"),
)
_FIELDS = {"display_name": "name", "email": "email", "password": "password"}


def registration_errors(messages: list[tuple[str, str]]) -> dict[str, str]:
    """Identity's (field, message) problems as the register form's errors, one per field. A
    message identity did not tie to a field is placed by its opening words."""
    errors: dict[str, str] = {}
    for api_field, message in messages:
        field, text = _registration_error(api_field, message)
        errors.setdefault(field, text)
    return errors


def _registration_error(api_field: str, message: str) -> tuple[str, str]:
    for opening, field, text in _REGISTRATION:
        if message.startswith(opening):
            return field, text
    field = _FIELDS.get(api_field.removeprefix("body."), "")
    if not field:
        field = _FIELDS.get(message.split(" ", 1)[0], "email")
    labels = {"name": "your name", "email": "your email address", "password": "your password"}
    return field, f"Check {labels[field]}"


# Membership's founding problems (snp_membership.domain.founding) by the field they open with.
_FOUNDING = {
    "group_type": ("group_type", "Select the kind of group you are starting"),
    "name": ("name", "Enter the group's name, 120 characters at most"),
    "description": ("description", "The description must be 2,000 characters or fewer"),
    "ward_code": (
        "ward_code",
        "Enter the ward's code in letters, numbers, hyphens or underscores, like E05000138",
    ),
    "ward_name": ("ward_name", "Enter the ward's name, 100 characters at most"),
    "visibility": ("visibility", "Select who can find the group"),
}


def founding_errors(problems: list[tuple[str, str]], fallback: str) -> dict[str, str]:
    """Membership's (field, message) problems as the found-a-group form's errors; `fallback`
    is said on the first field when none is recognised."""
    errors: dict[str, str] = {}
    for api_field, message in problems:
        key = api_field.removeprefix("body.") or message.split(" ", 1)[0]
        if key in _FOUNDING:
            field, text = _FOUNDING[key]
            errors.setdefault(field, text)
    return errors or {"group_type": fallback}
