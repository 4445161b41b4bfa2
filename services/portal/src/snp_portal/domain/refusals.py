"""The services' refusals in words a resident understands: membership's rules, a page gone
stale, a policy's no, and any other service message made into a sentence or an error message."""

from __future__ import annotations

from collections.abc import Iterable

from snp_portal.domain.groups import ROLES

_MEMBERSHIP_RULES = {
    "the last chair or coordinator must hand over before leaving": (
        "The group's last chair or coordinator cannot leave or be removed. "
        "They must hand over the role to another member first."
    ),
    "the last chair or coordinator must hand over first": (
        "The group's last chair or coordinator cannot stand down. "
        "Hand over the role to another member first."
    ),
    "only a member of the group can be appointed": "Only a member of the group can be appointed.",
    "no such request waiting for a decision": (
        "That request is no longer waiting. Another officer may have decided it already."
    ),
    "nothing to change": "You have not changed anything.",
    "the group is closed": "The group is closed. Its settings can no longer be changed.",
}
STALE = "The group changed while you were on this page. Check the page and try again."
FORBIDDEN = "You cannot do this in this group."
LAST_LEADER_LEAVING = (
    "You are the group's last {office}. Hand over the role to another member before you leave."
)


def refusal_words(kind: str, status: int, message: str) -> str:
    """Membership's refusal in plain words: its rule, a stale page, or a policy's no."""
    if kind == "concurrency-conflict":
        return STALE
    if status == 403:
        return FORBIDDEN
    known = _MEMBERSHIP_RULES.get(message.strip().rstrip("."))
    if known:
        return known
    if message.startswith("already the group's "):
        return f"They are already the group's {ROLES.get(message[20:], message[20:]).lower()}."
    return sentence(message) or "That cannot be done."


def sentence(text: str) -> str:
    """A service's message (`a request to join is already waiting`) as a sentence."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def error_message(text: str) -> str:
    """A service's message as a GOV.UK error message: a capital, and no full stop."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def errors_by_opening(
    messages: Iterable[str], openings: Iterable[tuple[str, str, str]]
) -> dict[str, str]:
    """A service's messages as a form's errors, one per field: each message is placed by the
    first (opening words, field, error) whose opening words it starts with."""
    known = tuple(openings)
    errors: dict[str, str] = {}
    for message in messages:
        for opening, field, error in known:
            if message.startswith(opening):
                errors.setdefault(field, error)
                break
    return errors
