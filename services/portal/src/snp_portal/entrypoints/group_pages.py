"""Opening a group's page for the signed-in user: the group as membership shows it to them,
their standing in it (from membership's `GET /me/groups`), and rendering with the group's
heading and sub-navigation. The standing only chooses what a page offers (an upload form, a
compose form); membership, documents, messaging and OPA decide what is done."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import HTTPException, Path, Request
from fastapi.responses import HTMLResponse

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.membership import MembershipApi
from snp_portal.domain import groups as words
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.web import SignedIn, apis, signed_in

# An id as the services take it, never `.` or `..` (it goes into their paths).
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]


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
        """Which controls the page shows; the services still decide every change."""
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


def titled(*parts: str) -> str:
    """A page title from the most particular part to the group, as base.html ends it."""
    return " \N{EN DASH} ".join(parts)


def render_group(
    request: Request,
    template: str,
    page: GroupPage,
    section: str,
    heading: str,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    title: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A group page. Its title says the section and the group ("Members: Oak Watch") unless
    the page names its own."""
    group = page.group
    if title is None:
        title = f"{heading}: {group['name']}" if heading != group["name"] else heading
    return render(
        request,
        template,
        status_code=status_code,
        title=title,
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
