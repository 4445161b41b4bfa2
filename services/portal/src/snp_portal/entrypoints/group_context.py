"""What a group's pages share: the group as the signed-in user may see it, their own standing
in it (from membership's `GET /me/groups`), the banner after a change, and rendering with the
group's sub-navigation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.membership import MembershipApi
from snp_portal.domain import groups as words
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.web import SignedIn, apis, signed_in


@dataclass(frozen=True)
class GroupPage:
    api: MembershipApi
    me: str  # the signed-in account's id
    group: dict[str, Any]
    roles: list[str] = field(default_factory=list)  # the user's roles here; none: not a member
    asked_to_join: bool = False  # a request of the user's to join is waiting

    @property
    def group_id(self) -> str:
        return str(self.group["group_id"])

    @property
    def version(self) -> int:
        return int(self.group["version"])

    @property
    def force(self) -> str:
        return str(self.group.get("tenant_name") or self.group.get("tenant") or "the police")

    @property
    def offers(self) -> dict[str, bool]:
        """Which controls the page shows; membership still decides every change."""
        closed = self.group.get("status") == "closed"
        return {
            "member": bool(self.roles),
            "officer": words.is_officer(self.roles),
            "leader": words.leads(self.roles),
            "settings": words.leads(self.roles) and not closed,
        }


def membership(request: Request, user: SignedIn | None = None) -> MembershipApi:
    user = user or signed_in(request)
    return MembershipApi(apis(request).membership, user.token)


def group_page(request: Request, group_id: object) -> GroupPage:
    """The group (a Refusal, shown as a page, when membership will not show it) and the
    user's standing in it."""
    api = membership(request)
    try:
        group = api.group(str(group_id))
    except Refusal as refused:
        # Membership answers 403 for a hidden group someone outside it asks for; the page
        # says what an unknown id gets, so the group's existence does not show.
        if refused.status in (403, 404):
            raise HTTPException(404) from refused
        raise
    mine = api.own_groups()
    roles: list[str] = next(
        (g["roles"] for g in mine["groups"] if g["group_id"] == group["group_id"]), []
    )
    asked = any(w["group"]["group_id"] == group["group_id"] for w in mine["join_requests"])
    return GroupPage(api, str(mine["account_id"]), group, list(roles), asked)


def refusal_errors(refusal: Refusal, anchor: str) -> dict[str, str]:
    return {anchor: words.refusal_words(refusal.kind, refusal.status, refusal.message)}


def render_group(
    request: Request,
    template: str,
    page: GroupPage,
    section: str,
    heading: str,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A group page: its title says the group and the section (e.g. "Members: Oak Watch")."""
    group = page.group
    return render(
        request,
        template,
        status_code=status_code,
        title=f"{heading}: {group['name']}" if heading != group["name"] else heading,
        active="groups",
        page=page,
        heading=heading,
        group=group,
        section=section,
        offers=page.offers,
        words=words,
        errors=errors or {},
        error_items=error_list(errors or {}),
        **context,
    )


def form_version(form: dict[str, str]) -> int | None:
    """The group version the form was drawn from (membership refuses it if the group moved on)."""
    raw = form.get("version", "")
    return int(raw) if raw.isdigit() else None


def as_uuid(raw: str | None) -> str | None:
    """An id from a query string or form, or None (banners only look ids up, never echo them)."""
    try:
        return str(uuid.UUID(raw or ""))
    except ValueError:
        return None
