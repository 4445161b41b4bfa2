"""The group pages' pure parts: words for kinds, offices, markings and membership's refusals,
the banners after a change, and the templates rendered with what membership answers (no
stack: the Jinja environment alone), so a member and an officer see what they should."""

from __future__ import annotations

import re
from typing import Any

import pytest

from snp_portal.adapters.api import Refusal
from snp_portal.adapters.membership import MembershipApi
from snp_portal.domain import groups as words
from snp_portal.domain import refusals
from snp_portal.entrypoints.group_forms import as_uuid, form_version
from snp_portal.entrypoints.group_pages import GroupPage
from snp_portal.entrypoints.pages import environment

ME, BOB, DAN = (
    "00000000-0000-4000-8000-00000000000a",
    "00000000-0000-4000-8000-00000000000b",
    "00000000-0000-4000-8000-00000000000d",
)
GROUP: dict[str, Any] = {
    "group_id": "00000000-0000-4000-8000-000000000001",
    "group_type": "neighbourhood_watch",
    "name": "Oak Road Watch",
    "description": "We look out for each other.",
    "ward_code": "E05000138",
    "ward_name": "Bloomsbury",
    "visibility": "public",
    "directory": "officers",
    "status": "open",
    "version": 7,
    "approvals": ["area_coordinator", "police"],
    "tenant": "met",
    "tenant_name": "Metropolitan Police",
}
OFFICERS = [
    {
        "account_id": ME,
        "display_name": "Alice Lead",
        "roles": ["coordinator"],
        "approvals": ["police"],
    }
]
MEMBERS = [
    {
        "account_id": ME,
        "display_name": "Alice Lead",
        "roles": ["member", "coordinator"],
        "approvals": {},
    },
    {
        "account_id": BOB,
        "display_name": "Bob <b>Neighbour</b>",
        "roles": ["member"],
        "approvals": {"member": ["police"]},
    },
]
REQUESTS = [
    {
        "request_id": "r-1",
        "account_id": DAN,
        "display_name": "Dan Asker",
        "requested_at": "2026-05-01T10:00:00+00:00",
    }
]


def test_roles_markings_and_offices_in_plain_words() -> None:
    assert words.role_words(["member", "coordinator"]) == "Coordinator"
    assert words.role_words(["member"]) == "Member"
    assert words.role_words(["member", "secretary", "vice_chair"]) == "Secretary, Vice-chair"
    assert words.markings(["area_coordinator", "police"], "Metropolitan Police") == [
        "Approved by Metropolitan Police",
        "Approved by the Neighbourhood Watch area coordinator",
    ]
    assert words.markings([], "x") == []
    assert words.leading_office("neighbourhood_watch") == "coordinator"
    assert words.leading_office("ward_panel") == "chair"
    assert words.leads(["member", "chair"]) and not words.leads(["member", "secretary"])
    assert words.is_officer(["member", "secretary"]) and not words.is_officer(["member"])


@pytest.mark.parametrize(
    ("kind", "status", "message", "said"),
    [
        ("concurrency-conflict", 409, "stream moved on", refusals.STALE),
        ("forbidden", 403, "membership.join.decide is not allowed.", refusals.FORBIDDEN),
        (
            "conflict",
            409,
            "the last chair or coordinator must hand over first",
            "cannot stand down",
        ),
        ("conflict", 409, "nothing to change", "You have not changed anything."),
        ("conflict", 409, "already the group's vice_chair", "already the group's vice-chair."),
        ("conflict", 409, "something new", "Something new."),
    ],
)
def test_refusals_in_plain_words(kind: str, status: int, message: str, said: str) -> None:
    assert said in refusals.refusal_words(kind, status, message)


def test_banners_say_what_happened_by_name_and_never_echo_the_address() -> None:
    assert words.banner("admitted", "Dan Asker", None) == "Dan Asker is now a member of the group."
    assert words.banner("appointed", "Bob", "vice_chair") == "Bob is now the group's vice-chair."
    assert words.banner("stood_down", None, "<script>") == (
        "The member is no longer the group's officer."
    )
    assert words.banner("left", None, None, "Oak Road Watch") == "You have left Oak Road Watch."
    assert words.banner("<b>", "x", None) is None
    assert as_uuid("not-an-id") is None and as_uuid(BOB) == BOB
    assert form_version({"version": "7"}) == 7 and form_version({"version": "x"}) is None


def _page(template: str, roles: list[str], **context: Any) -> str:
    page = GroupPage(MembershipApi(None, "token"), ME, GROUP, roles)  # type: ignore[arg-type]
    html = (
        environment()
        .get_template(template)
        .render(
            cspNonce="n",
            platform_name="Safer Neighbourhoods",
            force="met",
            signed_in=True,
            csrf_token="the-csrf-token",
            title="t",
            active="groups",
            page=page,
            group=GROUP,
            offers=page.offers,
            words=words,
            errors={},
            error_items=[],
            **context,
        )
    )
    return str(html)


def _members(roles: list[str], members: list[dict[str, Any]] | None) -> str:
    return _page(
        "group_members.html",
        roles,
        section="members",
        heading="Members",
        members=members,
        next_cursor=None,
        closed_list="The group's officers have chosen not to show the member list.",
        officers=OFFICERS,
        requests=REQUESTS if words.is_officer(roles) else [],
        appointable=["coordinator"],
        banner=None,
        values={},
    )


def test_an_officer_sees_requests_and_controls_and_every_form_carries_the_csrf_token() -> None:
    html = _members(["member", "coordinator"], MEMBERS)
    assert "Dan Asker" in html and "/join-requests/r-1/admit" in html and "/reject" in html
    assert f"/officers/coordinator/{ME}/stand-down" in html
    assert f"/members/{BOB}/remove" in html and f"/members/{ME}/remove" not in html
    assert "Bob &lt;b&gt;Neighbour&lt;/b&gt;" in html  # names are escaped
    assert "Approved by Metropolitan Police" in html
    main = html.split("<main", 1)[1]
    forms = re.findall(r"<form method=\"post\".*?</form>", main, re.S)
    assert len(forms) == 4  # admit, reject, stand down, appoint
    assert all('name="csrf_token" value="the-csrf-token"' in f for f in forms)
    assert all('name="version" value="7"' in f for f in forms)


def test_a_member_sees_no_controls_and_the_closed_list_message() -> None:
    html = _members(["member"], None)
    assert "The group&#39;s officers have chosen not to show the member list." in html
    assert '<form method="post"' not in html.split("Sign out")[-1]
    assert "Requests to join" not in html and "Appoint" not in html
    assert "Alice Lead" in html  # officers by name, whatever the member list setting


def test_the_overview_shows_markings_role_and_leaving() -> None:
    html = _page(
        "group_overview.html",
        ["member"],
        section="overview",
        heading=GROUP["name"],
        officers=OFFICERS,
        markings=words.markings(GROUP["approvals"], "Metropolitan Police"),
        banner="Dan Asker is now a member of the group.",
    )
    assert '<h1 class="govuk-heading-l">Oak Road Watch</h1>' in html
    assert "Approved by the Neighbourhood Watch area coordinator" in html
    assert f"/groups/{GROUP['group_id']}/leave" in html
    assert "/settings" not in html and 'aria-current="page"' in html
    assert "govuk-notification-banner--success" in html


def test_a_refusal_can_be_raised_and_handled_like_any_exception() -> None:
    refusal = Refusal(404, "not-found", "Not Found", "No such resource.")
    try:
        raise refusal
    except Refusal as caught:
        caught.__traceback__ = None  # what Starlette does once a handler has answered
    assert refusal.message == "No such resource."
