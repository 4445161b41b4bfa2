"""Groups in plain words: kinds, offices, approval markings, and membership's refusals as
sentences a resident understands. Which office may do what is the policy's (membership asks
OPA); `leads` and `is_officer` only choose which controls a page offers."""

from __future__ import annotations

from collections.abc import Iterable

GROUP_TYPES = {
    "neighbourhood_watch": "Neighbourhood Watch group",
    "ward_panel": "Ward panel",
    "community_group": "Community group",
}
ROLES = {
    "chair": "Chair",
    "vice_chair": "Vice-chair",
    "secretary": "Secretary",
    "coordinator": "Coordinator",
    "member": "Member",
}
# Membership's offices by kind of group (docs/membership.md): a Neighbourhood Watch group has
# coordinators (several may serve); the others one chair, one vice-chair and one secretary.
OFFICES = {
    "neighbourhood_watch": ("coordinator",),
    "ward_panel": ("chair", "vice_chair", "secretary"),
    "community_group": ("chair", "vice_chair", "secretary"),
}
LEADING = frozenset({"chair", "coordinator"})
VISIBILITY = {
    "public": "Anyone in the force can find it and ask to join",
    "hidden": "Hidden: only its members can find it",
}
STATUS = {"open": "Open to requests to join", "closed": "Closed: it takes no new members"}
DIRECTORY = {
    "officers": "Only the group's officers",
    "members": "All the group's members",
}
AREA_COORDINATOR_MARKING = "Approved by the Neighbourhood Watch area coordinator"


def role_words(roles: Iterable[str]) -> str:
    """ "Coordinator" for ["member", "coordinator"]: an office says more than membership."""
    held = [r for r in roles if r != "member"] or [r for r in roles if r == "member"]
    return ", ".join(ROLES.get(r, r) for r in held)


def leading_office(group_type: str) -> str:
    return "coordinator" if group_type == "neighbourhood_watch" else "chair"


def leads(roles: Iterable[str]) -> bool:
    return bool(LEADING & set(roles))


def is_officer(roles: Iterable[str]) -> bool:
    return any(r in ROLES and r != "member" for r in roles)


def markings(sides: Iterable[str], force: str) -> list[str]:
    """Approval markings as the group page says them, police side first."""
    words = {"police": f"Approved by {force}", "area_coordinator": AREA_COORDINATOR_MARKING}
    return [words[s] for s in ("police", "area_coordinator") if s in set(sides)]


_REFUSALS = {
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


def refusal_words(kind: str, status: int, message: str) -> str:
    """Membership's refusal in plain words: its rule, a stale page, or a policy's no."""
    if kind == "concurrency-conflict":
        return STALE
    if status == 403:
        return FORBIDDEN
    known = _REFUSALS.get(message.strip().rstrip("."))
    if known:
        return known
    if message.startswith("already the group's "):
        return f"They are already the group's {ROLES.get(message[20:], message[20:]).lower()}."
    text = message.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else "That cannot be done."


LAST_LEADER_LEAVING = (
    "You are the group's last {office}. Hand over the role to another member before you leave."
)


def banner(done: str | None, name: str | None, role: str | None, group: str = "") -> str | None:
    """The confirmation after a change (Post/Redirect/Get): what happened, by name if known."""
    office = ROLES.get(role or "", "officer").lower()
    someone = name or "The member"
    texts = {
        "admitted": f"{someone} is now a member of the group.",
        "rejected": "The request to join has been rejected.",
        "removed": "The member has been removed from the group.",
        "appointed": f"{someone} is now the group's {office}.",
        "stood_down": f"{someone} is no longer the group's {office}.",
        "handed_over": f"{someone} is now the group's {office}. You are no longer its {office}.",
        "settings": "The group's settings have been saved.",
        "left": f"You have left {group or 'the group'}.",
    }
    return texts.get(done or "")
