"""An authenticator reset as the force administration pages say it: what asking for one will
do, what approving or rejecting it will do, and a refusal from identity in words. Pure:
identity's staff list in, words out. Identity and its policy decide who may do what."""

from __future__ import annotations

from typing import Any

from snp_portal.domain.staff_accounts import Change

REASON_LIMIT = 500
# Identity's problem types for a refused reset, as the administrator is told them.
REFUSALS = {
    "own-account": "You cannot reset your own authenticator app. Another administrator of"
    " the force does it.",
    "own-reset-request": "You asked for this reset, so another administrator of the force must"
    " approve or reject it.",
    "reset-not-waiting": "This reset is no longer waiting: another administrator has already"
    " decided it, or it was never asked for.",
    "reset-request-expired": "This reset waited more than 24 hours and has expired. Ask for it"
    " again if it is still needed.",
    "last-administrator": "This is the force's last active administrator. Make another"
    " administrator first: a force must always have one.",
}


def refusal_words(kind: str, fallback: str) -> str:
    return REFUSALS.get(kind, fallback)


def can_be_asked(account: dict[str, Any]) -> bool:
    """Whether the page offers to ask (identity refuses the rest anyway)."""
    return (
        account["status"] == "active"
        and account["authenticator"] == "enrolled"
        and account.get("authenticator_reset") is None
    )


def ask(account: dict[str, Any]) -> Change:
    name = account["display_name"]
    return Change(
        "reset-authenticator",
        "Ask for the reset",
        f"Reset {name}'s authenticator app?",
        (
            "Use this only when they have lost both their authenticator app and their recovery"
            " codes, and you have checked it is really them asking.",
            "Nothing changes yet: another administrator of the force must approve the reset"
            " within 24 hours.",
            f"Once it is approved, {name}'s authenticator app and every recovery code stop"
            " working and they are signed out everywhere.",
            "They then sign in with their password and set up an authenticator app again.",
            "They are sent an email saying what happened.",
        ),
    )


def approve(account: dict[str, Any], asked_by: str) -> Change:
    name, request_id = account["display_name"], account["authenticator_reset"]["request_id"]
    return Change(
        f"reset-authenticator/{request_id}/approve",
        "Approve the reset",
        f"Approve the reset of {name}'s authenticator app?",
        (
            f"{asked_by} asked for it.",
            f"{name}'s authenticator app and every recovery code stop working at once.",
            "They are signed out everywhere within a minute.",
            "The next time they sign in with their password they must set up an authenticator"
            " app before they can do anything else.",
            "They are sent an email saying what happened and whom to tell if they did not"
            " expect it.",
        ),
    )


def reject(account: dict[str, Any], asked_by: str) -> Change:
    name, request_id = account["display_name"], account["authenticator_reset"]["request_id"]
    return Change(
        f"reset-authenticator/{request_id}/reject",
        "Reject the reset",
        f"Reject the reset of {name}'s authenticator app?",
        (
            f"{asked_by}'s request ends and nothing about {name}'s account changes.",
            "Their authenticator app and recovery codes keep working.",
        ),
    )


def asked_by_name(accounts: list[dict[str, Any]], account: dict[str, Any]) -> str:
    """Who asked, by name (an administrator since erased is 'An administrator')."""
    reset = account.get("authenticator_reset") or {}
    for other in accounts:
        if other["account_id"] == reset.get("requested_by"):
            return str(other["display_name"])
    return "An administrator"


def waiting(accounts: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    """The accounts whose reset waits for approval, each with who asked, oldest first."""
    found = [a for a in accounts if a.get("authenticator_reset")]
    found.sort(key=lambda a: a["authenticator_reset"]["requested_at"])
    return [(a, asked_by_name(accounts, a)) for a in found]
