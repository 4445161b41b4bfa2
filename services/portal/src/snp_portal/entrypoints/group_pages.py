"""What a group's pages share: the group as membership shows it to the signed-in user, and
whether that user holds an office in it. The office only chooses what a page offers (an upload
form, a compose form); documents, messaging and OPA decide what is done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import jwt
from fastapi import Path, Request

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.web import SignedIn, apis

# An id as the services take it, never `.` or `..` (it goes into their paths).
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]


@dataclass(frozen=True)
class GroupSeen:
    group_id: str
    name: str
    officer: bool


def account_id(user: SignedIn) -> str:
    """The signed-in account's id, read from its access token's `sub`. Unverified on purpose:
    the portal got the token from identity itself and only uses this to choose what to show;
    every service verifies the token it is sent."""
    claims: dict[str, Any] = jwt.decode(user.token, options={"verify_signature": False})
    return str(claims.get("sub", ""))


def group_for(request: Request, user: SignedIn, group_id: str) -> GroupSeen:
    """The group (a Refusal, shown as a page, when membership will not show it)."""
    group = apis(request).membership.get(f"/groups/{group_id}", user.token)
    me = account_id(user)
    officer = any(o.get("account_id") == me for o in group.get("officers", []))
    return GroupSeen(str(group["group_id"]), str(group["name"]), officer)


def group_members(request: Request, user: SignedIn, group_id: str) -> list[dict[str, Any]]:
    """The group's members by name (membership asks identity's directory), for choosing a
    mailing list's members."""
    page = apis(request).membership.get(
        f"/groups/{group_id}/members", user.token, params={"limit": 500}
    )
    members: list[dict[str, Any]] = page["members"]
    return sorted(members, key=lambda m: (m.get("display_name") or "").lower())


def said(refusal: Refusal) -> str:
    """A service's refusal as a sentence for an error message (its detail starts lower case)."""
    text = refusal.message.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def member_choices(members: list[dict[str, Any]], chosen: list[str]) -> list[dict[str, Any]]:
    """The group's members as checkbox items, those in `chosen` ticked."""
    return [
        {
            "value": m["account_id"],
            "text": m.get("display_name") or "Name not available",
            "checked": m["account_id"] in chosen,
        }
        for m in members
    ]


def titled(*parts: str) -> str:
    """A page title from the most particular part to the group, as base.html ends it."""
    return " \N{EN DASH} ".join(parts)
