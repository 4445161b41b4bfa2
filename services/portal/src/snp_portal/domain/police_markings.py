"""The police side of approval markings in plain words: what a marking says, what the page
confirms after a change, and membership's refusals. The other side's marking is only shown."""

from __future__ import annotations

from typing import Any

from snp_portal.domain.groups import AREA_COORDINATOR_MARKING
from snp_portal.domain.refusals import STALE

SUBJECTS = {"group": "the group", "coordinator": "the officer", "member": "the member"}


def police_marking(sides: Any, force: str) -> str:
    return f"Approved by {force}" if "police" in (sides or []) else "Not approved by the police"


def coordinator_marking(sides: Any) -> str:
    return (
        AREA_COORDINATOR_MARKING
        if "area_coordinator" in (sides or [])
        else "Not approved by the area coordinator"
    )


def banner(done: str | None, subject: str | None) -> str | None:
    """The confirmation after a change (Post/Redirect/Get); None for anything else."""
    if done == "founded":
        return "The ward panel has been founded. Its first chair runs it from now on."
    who = SUBJECTS.get(subject or "")
    if who is None or done not in ("marked", "withdrawn"):
        return None
    if done == "marked":
        return f"You have marked {who} as approved by the police."
    return f"You have withdrawn the police approval of {who}."


_RULES = {
    "already marked by the police side": "It is already marked as approved by the police.",
    "no marking of the police side to withdraw": "There is no police approval to withdraw.",
    "not a member of this group": "That person is no longer a member of the group.",
    "not a chair or coordinator of this group": (
        "That person no longer leads the group. Only a chair or coordinator is marked as one."
    ),
}


def refusal_words(refused: Any) -> str:
    """Membership's refusal of a marking, in plain words."""
    if refused.kind == "concurrency-conflict":
        return STALE
    if refused.status == 403:
        return "Your account cannot change this marking."
    if refused.status == 404:
        return "That person is no longer in the group. Reload the page."
    text = str(refused.message).strip().rstrip(".")
    if text in _RULES:
        return _RULES[text]
    return (text[:1].upper() + text[1:] + ".") if text else "That cannot be done now."
