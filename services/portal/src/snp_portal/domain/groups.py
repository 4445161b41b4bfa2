"""Groups in plain words: kinds, offices, settings, approval markings and the banner after a
change (membership's refusals are in refusals.py). Which office may do what is the policy's
(membership asks OPA); `leads` and `is_officer` only choose which controls a page offers."""

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


def group_type_label(group_type: str) -> str:
    """The kind of group in words; a kind the portal does not know yet, from its name."""
    return GROUP_TYPES.get(group_type, group_type.replace("_", " ").capitalize())


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
    """Each side that marked the group, said plainly, police side first."""
    words = {"police": f"Approved by {force}", "area_coordinator": AREA_COORDINATOR_MARKING}
    return [words[s] for s in ("police", "area_coordinator") if s in set(sides)]


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
