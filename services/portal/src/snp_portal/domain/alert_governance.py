"""Police alerts that wait for a second officer, and corrections and withdrawals of sent ones,
as the portal's forms have them: the fields read and checked before messaging is asked (which
checks them again, and decides), and what became of a held alert said in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from snp_portal.domain.alert_drafts import wording_errors

MAX_REASON = 1000  # messaging's (domain/approvals.py)
WORDING_FIELDS = ("type", "priority", "subject", "body")


@dataclass(frozen=True)
class Filled:
    """A form's values as typed (trimmed) and an error for each field to put right."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


def read_wording(form: Mapping[str, str]) -> Filled:
    """A waiting alert's new words: the draft form's fields but whom it is for, which stays
    what the second officer approves."""
    values = {f: form.get(f, "").strip() for f in WORDING_FIELDS}
    return Filled(values, wording_errors(values))


def read_reason(form: Mapping[str, str], missing: str | None) -> Filled:
    """A reason (`missing`: the error when none is given, None when it may be left out)."""
    reason = form.get("reason", "").strip()
    if missing and not reason:
        return Filled({"reason": reason}, {"reason": missing})
    if len(reason) > MAX_REASON:
        return Filled(
            {"reason": reason}, {"reason": "The reason must be 1,000 characters or fewer"}
        )
    return Filled({"reason": reason})


@dataclass(frozen=True)
class FollowUpWords:
    """A follow-up form's heading, its errors, and the banner's key once it is sent."""

    title: str
    body_missing: str
    reason_missing: str | None  # None: the reason may be left out
    done: str


FOLLOW_UPS = {
    "correction": FollowUpWords("Send a correction", "Enter the correction", None, "corrected"),
    "withdrawal": FollowUpWords(
        "Withdraw this alert",
        "Enter what members are told",
        "Enter why the alert is withdrawn",
        "withdrawn",
    ),
}


def read_follow_up(kind: str, form: Mapping[str, str]) -> Filled:
    """A correction's or withdrawal's subject (optional), words and reason."""
    wording = FOLLOW_UPS[kind]
    reason = read_reason(form, wording.reason_missing)
    values = {
        "subject": form.get("subject", "").strip(),
        "body": form.get("body", "").strip(),
        **reason.values,
    }
    errors = dict(reason.errors)
    if not values["body"]:
        errors = {"body": wording.body_missing, **errors}
    if len(values["subject"]) > 200:
        errors = {"subject": "The subject must be 200 characters or fewer", **errors}
    return Filled(values, errors)


def what_became_of(held: Mapping[str, Any], decider: str | None) -> str:
    """A held alert's state in a sentence (`decider`: who decided it, by name, if known)."""
    by = f" by {decider}" if decider else ""
    reason = f" The reason given: {held['reason']}" if held.get("reason") else ""
    status = held["status"]
    if status == "waiting":
        return "It is waiting for a second police officer to approve it. Nothing has been sent."
    if status == "approved":
        return f"It was approved{by} and sent.{reason}"
    if status == "rejected":
        return f"It was rejected{by}, so it was not sent.{reason}"
    return f"It was withdrawn{by} before it was approved, so it was not sent.{reason}"


def refusal_words(kind: str, mine: bool) -> str:
    """Messaging's refusal of a step on a held alert, in words for the officer."""
    if kind == "forbidden" and mine:
        return "You cannot approve or reject an alert you wrote. Another police officer must."
    if kind == "forbidden":
        return "You cannot do this to the alert."
    if kind == "alert-state-conflict":
        return "The alert is not waiting any more: someone has already dealt with it."
    return "The alert could not be changed. Try again."
