"""A force's staff accounts as its administrators' pages say them: each kind in words, the
state of its role, sign-in and authenticator, and what each change will do, said on the page
that asks to confirm it. Pure: identity's list in, words and choices out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The kinds a tenant admin may create (identity's CREATABLE_BY_TENANT_ADMIN; the policy decides).
KIND_NAMES = {
    "police": "Police officer",
    "tenant_admin": "Force administrator",
    "area_coordinator": "Area coordinator",
    "auditor": "Auditor",
    "partner": "Partner agency officer",
}
CREATABLE = tuple(KIND_NAMES)


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.replace("_", " ").capitalize())


def role_state(account: dict[str, Any]) -> str:
    return "Held" if account["holds_role"] else "Revoked"


def sign_in_state(account: dict[str, Any]) -> str:
    """Whether the account can sign in, and why not."""
    if account["status"] == "disabled":
        return "Disabled"
    if account["awaiting_set_up"]:
        return "Set-up link sent"
    return "Active"


def authenticator_state(account: dict[str, Any]) -> str:
    if account["authenticator"] == "enrolled":
        return "Set up"
    return "Not set up yet"


@dataclass(frozen=True)
class Change:
    """One change a tenant admin can make to a staff account, and how the page puts it."""

    slug: str  # the confirm page's last path segment
    button: str  # the link and the button that confirm it
    heading: str  # "Revoke {name}'s role?"
    consequences: tuple[str, ...]  # what will happen, one sentence each


def change(slug: str, account: dict[str, Any]) -> Change | None:
    """The change named `slug` for this account, when its state allows it (else None)."""
    name, kind = account["display_name"], kind_name(account["kind"]).lower()
    active = account["status"] == "active"
    if slug == "revoke-role" and active and account["holds_role"]:
        return Change(
            slug,
            "Revoke the role",
            f"Revoke {name}'s role as {kind}?",
            (
                f"{name} will no longer act as {_article(kind)} {kind}.",
                "They are signed out everywhere within a minute and cannot sign in until the"
                " role is granted back.",
                "Their account stays, and you can grant the role back at any time.",
            ),
        )
    if slug == "grant-role" and active and not account["holds_role"]:
        return Change(
            slug,
            "Grant the role",
            f"Grant {name} the role of {kind} again?",
            (
                f"{name} will act as {_article(kind)} {kind} again.",
                "They can sign in with their password and authenticator app at once.",
            ),
        )
    if slug == "disable" and active:
        return Change(
            slug,
            "Disable the account",
            f"Disable {name}'s account?",
            (
                f"{name} will never be able to sign in with this account again.",
                "They are signed out everywhere within a minute.",
                "A disabled account cannot be enabled again. Its details stay until it is erased.",
            ),
        )
    if slug == "erase" and account["status"] in ("active", "disabled"):
        return Change(
            slug,
            "Erase the account",
            f"Erase {name}'s account?",
            (
                f"{name}'s name, email address and phone number are destroyed for good:"
                " nobody can ever read them again.",
                "They are signed out everywhere within a minute and the account is gone.",
                "What the account did stays in the audit log, without those details.",
                "This cannot be undone.",
            ),
        )
    return None


def changes(account: dict[str, Any]) -> list[Change]:
    """Every change this account's state allows, in the order the page offers them."""
    found = (change(s, account) for s in ("revoke-role", "grant-role", "disable", "erase"))
    return [c for c in found if c is not None]


def _article(words: str) -> str:
    return "an" if words[:1] in "aeiou" else "a"
