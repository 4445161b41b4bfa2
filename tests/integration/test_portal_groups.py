"""The group pages over plain HTTP through the portal, against the real stack: your groups,
a group as a member and as an officer (admit, reject, remove, appoint, stand down, hand over,
settings, leave), each refusal in plain words, forged officer posts refused by membership, and
forms without the CSRF token refused (403). What changed is checked in membership's API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.group_people import a_force_of, version_on
from tests.integration.membership_people import Person, found_group, join, membership_client
from tests.integration.portal_people import Account, csrf_of, portal_client, sign_in

pytestmark = pytest.mark.integration
CLOSED_LIST = "The group&#39;s officers have chosen not to show the member list."


@pytest.fixture(scope="module")
def api(stack: Any) -> Iterator[httpx.Client]:
    with membership_client(stack) as client:
        yield client


@pytest.fixture(scope="module")
def force(stack: Any) -> dict[str, tuple[Account, Person]]:
    return a_force_of(
        stack,
        alice=("member", "Alice Lead"),
        bob=("member", "Bob Neighbour"),
        carol=("member", "Carol Chair"),
        dan=("member", "Dan Asker"),
        erin=("member", "Erin Newcomer"),
        police=("police", "PC Sam Patel"),
    )


@pytest.fixture
def browse(stack: Any, force: dict[str, tuple[Account, Person]]) -> Iterator[Any]:
    """`browse("bob")`: a portal client signed in as that person (closed after the test)."""
    opened: list[httpx.Client] = []

    def signed_in_as(key: str) -> httpx.Client:
        client = portal_client(stack)
        opened.append(client)
        assert sign_in(client, force[key][0]).status_code == 303
        return client

    yield signed_in_as
    for client in opened:
        client.close()


def _post(client: httpx.Client, form_page: str, action: str, **fields: str) -> httpx.Response:
    """Post a form as a browser would: the CSRF token and group version of the page it is on."""
    page = client.get(form_page)
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_of(page), "version": version_on(page), **fields}
    return client.post(action, data=data)


def _member_ids(api: httpx.Client, group_id: str, officer: Person) -> set[str]:
    listed = api.get(f"/groups/{group_id}/members", headers=officer.auth)
    assert listed.status_code == 200, listed.text
    return {m["account_id"] for m in listed.json()["members"]}


def _waiting(api: httpx.Client, group_id: str, officer: Person) -> list[str]:
    found = api.get(f"/groups/{group_id}/join-requests", headers=officer.auth).json()
    return [r["account_id"] for r in found["requests"]]


def test_your_groups_shows_roles_waiting_requests_and_the_empty_state(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, erin = force["alice"][1], force["erin"][1]
    portal = browse("erin")
    empty = portal.get("/groups")
    assert empty.status_code == 200 and "<title>Your groups" in empty.text
    assert "You are not a member of any group yet." in empty.text
    assert 'href="/find"' in empty.text and 'href="/groups/new"' in empty.text

    watch = found_group(api, alice, name="Elm Close Watch")
    asked = api.post(f"/groups/{watch}/join-requests", headers=erin.auth)
    assert asked.status_code == 201
    waiting = portal.get("/groups").text
    assert "Requests to join still waiting" in waiting and "Elm Close Watch" in waiting
    assert "You have asked to join." in portal.get(f"/groups/{watch}").text

    leading = browse("alice").get("/groups").text
    assert f'href="/groups/{watch}">Elm Close Watch</a>' in leading
    assert "Coordinator" in leading and "Requests to join still waiting" not in leading


def test_a_member_sees_the_group_its_officers_and_markings_but_not_a_closed_list(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, bob, police = force["alice"][1], force["bob"][1], force["police"][1]
    watch = found_group(api, alice, name="Oak Road Watch", directory="officers")
    join(api, watch, alice, bob)
    marked = api.post(
        "/approvals",
        json={"group_id": watch, "subject": "group", "side": "police"},
        headers=police.auth,
    )
    assert marked.status_code == 201, marked.text
    portal = browse("bob")
    overview = portal.get(f"/groups/{watch}")
    assert overview.status_code == 200
    text = overview.text
    assert "<title>Oak Road Watch" in text and "Neighbourhood Watch group in Bloomsbury" in text
    assert "Alice Lead" in text and "Coordinator" in text
    assert "Approved by Test Constabulary" in text
    assert "area coordinator" not in text  # only the police side has marked it
    assert f'href="/groups/{watch}/leave"' in text and "/settings" not in text
    assert 'aria-current="page"' in text and f'href="/groups/{watch}/documents"' in text
    members = portal.get(f"/groups/{watch}/members")
    assert members.status_code == 200 and CLOSED_LIST in members.text
    assert "Bob Neighbour" not in members.text and "Alice Lead" in members.text
    assert "/stand-down" not in members.text and "/admit" not in members.text

    api.patch(f"/groups/{watch}", json={"directory": "members"}, headers=alice.auth)
    opened = portal.get(f"/groups/{watch}/members").text
    assert CLOSED_LIST not in opened and "Bob Neighbour (you)" in opened


def test_an_officer_admits_and_rejects_with_a_banner(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, dan, erin = force["alice"][1], force["dan"][1], force["erin"][1]
    watch = found_group(api, alice)
    dan_asks = api.post(f"/groups/{watch}/join-requests", headers=dan.auth).json()
    erin_asks = api.post(f"/groups/{watch}/join-requests", headers=erin.auth).json()
    portal = browse("alice")
    page = portal.get(f"/groups/{watch}/members")
    assert "Dan Asker" in page.text and "Erin Newcomer" in page.text
    admitted = _post(
        portal,
        f"/groups/{watch}/members",
        f"/groups/{watch}/join-requests/{dan_asks['request_id']}/admit",
        account_id=dan.account_id,
    )
    assert admitted.status_code == 303
    shown = portal.get(admitted.headers["location"]).text
    assert "Dan Asker is now a member of the group." in shown
    assert dan.account_id in _member_ids(api, watch, alice)

    rejected = _post(
        portal,
        f"/groups/{watch}/members",
        f"/groups/{watch}/join-requests/{erin_asks['request_id']}/reject",
    )
    assert rejected.status_code == 303
    assert "has been rejected" in portal.get(rejected.headers["location"]).text
    assert _waiting(api, watch, alice) == []
    assert erin.account_id not in _member_ids(api, watch, alice)

    again = _post(
        portal,
        f"/groups/{watch}/members",
        f"/groups/{watch}/join-requests/{erin_asks['request_id']}/admit",
    )
    assert again.status_code == 409 and "That request is no longer waiting" in again.text
    assert "There is a problem" in again.text


def test_a_stale_page_is_refused_and_nothing_changes(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, dan = force["alice"][1], force["dan"][1]
    watch = found_group(api, alice)
    asked = api.post(f"/groups/{watch}/join-requests", headers=dan.auth).json()
    portal = browse("alice")
    page = portal.get(f"/groups/{watch}/members")
    api.patch(f"/groups/{watch}", json={"description": "moved on"}, headers=alice.auth)
    stale = portal.post(
        f"/groups/{watch}/join-requests/{asked['request_id']}/admit",
        data={"csrf_token": csrf_of(page), "version": version_on(page)},
    )
    assert (
        stale.status_code == 409 and "The group changed while you were on this page" in stale.text
    )
    assert _waiting(api, watch, alice) == [dan.account_id]


def test_officers_appoint_stand_down_and_the_last_leader_cannot_go(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, bob = force["alice"][1], force["bob"][1]
    watch = found_group(api, alice)
    join(api, watch, alice, bob)
    portal = browse("alice")
    members = f"/groups/{watch}/members"
    bad = _post(portal, members, f"/groups/{watch}/officers", account_id="", role="chair")
    assert bad.status_code == 400
    assert "Choose the member to appoint" in bad.text and "Choose the office" in bad.text

    appointed = _post(
        portal, members, f"/groups/{watch}/officers", account_id=bob.account_id, role="coordinator"
    )
    assert appointed.status_code == 303
    assert (
        "Bob Neighbour is now the group&#39;s coordinator."
        in portal.get(appointed.headers["location"]).text
    )
    stood = _post(
        portal, members, f"/groups/{watch}/officers/coordinator/{bob.account_id}/stand-down"
    )
    assert stood.status_code == 303
    assert (
        "Bob Neighbour is no longer the group&#39;s coordinator."
        in portal.get(stood.headers["location"]).text
    )
    officers = api.get(f"/groups/{watch}", headers=alice.auth).json()["officers"]
    assert [o["account_id"] for o in officers] == [alice.account_id]

    last = _post(
        portal, members, f"/groups/{watch}/officers/coordinator/{alice.account_id}/stand-down"
    )
    assert last.status_code == 409 and "last chair or coordinator cannot stand down" in last.text
    leave = _post(portal, f"/groups/{watch}/leave", f"/groups/{watch}/leave")
    assert leave.status_code == 409
    assert "You are the group&#39;s last coordinator. Hand over the role" in leave.text
    assert alice.account_id in _member_ids(api, watch, alice)


def test_the_chair_and_a_coordinator_hand_over(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, bob, carol = force["alice"][1], force["bob"][1], force["carol"][1]
    club = found_group(api, carol, group_type="community_group", name="Birch Residents")
    join(api, club, carol, bob)
    chair = browse("carol")
    form = chair.get(f"/groups/{club}/hand-over")
    assert "Hand over your role as chair" in form.text and "Bob Neighbour" in form.text
    secretary = _post(
        chair,
        f"/groups/{club}/members",
        f"/groups/{club}/officers",
        account_id=bob.account_id,
        role="secretary",
    )
    assert secretary.status_code == 303
    empty = _post(chair, f"/groups/{club}/hand-over", f"/groups/{club}/hand-over")
    assert empty.status_code == 400 and "Choose the member to hand over to" in empty.text
    handed = _post(
        chair, f"/groups/{club}/hand-over", f"/groups/{club}/hand-over", account_id=bob.account_id
    )
    assert handed.status_code == 303
    assert (
        "Bob Neighbour is now the group&#39;s chair." in chair.get(handed.headers["location"]).text
    )
    officers = api.get(f"/groups/{club}", headers=carol.auth).json()["officers"]
    assert {o["account_id"]: o["roles"] for o in officers} == {
        bob.account_id: ["chair", "secretary"]
    }

    watch = found_group(api, alice)
    join(api, watch, alice, bob)
    coordinator = browse("alice")
    passed = _post(
        coordinator,
        f"/groups/{watch}/hand-over",
        f"/groups/{watch}/hand-over",
        account_id=bob.account_id,
    )
    assert passed.status_code == 303
    officers = api.get(f"/groups/{watch}", headers=alice.auth).json()["officers"]
    assert [(o["account_id"], o["roles"]) for o in officers] == [(bob.account_id, ["coordinator"])]


def test_an_officer_removes_a_member_after_confirming(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, dan = force["alice"][1], force["dan"][1]
    watch = found_group(api, alice)
    join(api, watch, alice, dan)
    portal = browse("alice")
    confirm = f"/groups/{watch}/members/{dan.account_id}/remove"
    page = portal.get(confirm)
    assert "Are you sure you want to remove Dan Asker from the group?" in page.text
    removed = _post(portal, confirm, confirm)
    assert removed.status_code == 303
    assert "has been removed" in portal.get(removed.headers["location"]).text
    assert dan.account_id not in _member_ids(api, watch, alice)


def test_a_member_leaves_after_confirming(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, bob = force["alice"][1], force["bob"][1]
    watch = found_group(api, alice, name="Leavers Lane Watch")
    join(api, watch, alice, bob)
    portal = browse("bob")
    confirm = portal.get(f"/groups/{watch}/leave")
    assert "Are you sure you want to leave this group?" in confirm.text
    left = _post(portal, f"/groups/{watch}/leave", f"/groups/{watch}/leave")
    assert left.status_code == 303 and left.headers["location"] == f"/groups?left={watch}"
    assert "You have left Leavers Lane Watch." in portal.get(left.headers["location"]).text
    assert bob.account_id not in _member_ids(api, watch, alice)


def test_settings_change_and_bad_input_and_refusals_are_told(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice = force["alice"][1]
    watch = found_group(api, alice, name="Settings Street Watch")
    portal = browse("alice")
    settings = f"/groups/{watch}/settings"
    form = portal.get(settings)
    assert form.status_code == 200 and 'value="Settings Street Watch"' in form.text
    before = api.get(f"/groups/{watch}", headers=alice.auth).json()
    fields = {"name": "Settings Street Watch", "description": "", "visibility": "public"}
    fields |= {"status": "open", "directory": "officers"}

    empty = _post(portal, settings, settings, **{**fields, "name": " ", "visibility": "x"})
    assert empty.status_code == 400 and "Error: Change the group" in empty.text
    assert "Enter the group&#39;s name" in empty.text
    assert "Choose who can find the group" in empty.text
    unchanged = _post(portal, settings, settings, **fields)
    assert unchanged.status_code == 409 and "You have not changed anything." in unchanged.text
    assert api.get(f"/groups/{watch}", headers=alice.auth).json()["version"] == before["version"]

    changed = _post(
        portal, settings, settings, **{**fields, "visibility": "hidden", "directory": "members"}
    )
    assert (
        changed.status_code == 303
        and changed.headers["location"] == f"/groups/{watch}?done=settings"
    )
    assert (
        "The group&#39;s settings have been saved." in portal.get(changed.headers["location"]).text
    )
    after = api.get(f"/groups/{watch}", headers=alice.auth).json()
    assert (after["visibility"], after["directory"], after["status"]) == (
        "hidden",
        "members",
        "open",
    )
    closed = _post(portal, settings, settings, **{**fields, "status": "closed"})
    assert closed.status_code == 303
    assert api.get(f"/groups/{watch}", headers=alice.auth).json()["status"] == "closed"
    assert "can no longer be changed" in portal.get(settings).text


def test_forged_officer_posts_by_a_member_are_refused_by_membership(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, bob, dan = force["alice"][1], force["bob"][1], force["dan"][1]
    watch = found_group(api, alice, name="Forgery Watch")
    join(api, watch, alice, bob)
    asked = api.post(f"/groups/{watch}/join-requests", headers=dan.auth).json()
    portal = browse("bob")
    form_page = f"/groups/{watch}/leave"  # a member's page with a form: its token, its version
    forged = {
        f"/groups/{watch}/join-requests/{asked['request_id']}/admit": {},
        f"/groups/{watch}/officers": {"account_id": bob.account_id, "role": "coordinator"},
        f"/groups/{watch}/officers/coordinator/{alice.account_id}/stand-down": {},
        f"/groups/{watch}/members/{alice.account_id}/remove": {},
        f"/groups/{watch}/settings": {
            "name": "Taken over",
            "description": "",
            "visibility": "hidden",
            "status": "open",
            "directory": "members",
        },
    }
    for action, fields in forged.items():
        refused = _post(portal, form_page, action, **fields)
        assert refused.status_code == 403, (action, refused.text[:300])
        assert "You cannot do this in this group." in refused.text, action
        assert "application/json" not in refused.headers["content-type"]
    group = api.get(f"/groups/{watch}", headers=alice.auth).json()
    assert group["name"] == "Forgery Watch" and group["visibility"] == "public"
    assert [o["account_id"] for o in group["officers"]] == [alice.account_id]
    assert _waiting(api, watch, alice) == [dan.account_id]
    assert alice.account_id in _member_ids(api, watch, alice)


def test_posts_without_the_csrf_token_are_refused_and_change_nothing(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice, dan = force["alice"][1], force["dan"][1]
    watch = found_group(api, alice)
    join(api, watch, alice, dan)
    portal = browse("alice")
    version = version_on(portal.get(f"/groups/{watch}/members"))
    for action in (
        f"/groups/{watch}/members/{dan.account_id}/remove",
        f"/groups/{watch}/leave",
        f"/groups/{watch}/settings",
        f"/groups/{watch}/officers",
        f"/groups/{watch}/hand-over",
    ):
        refused = portal.post(action, data={"version": version, "account_id": dan.account_id})
        assert refused.status_code == 403, action
        assert "Your request could not be accepted" in refused.text
    assert dan.account_id in _member_ids(api, watch, alice)
    assert len(api.get(f"/groups/{watch}", headers=alice.auth).json()["officers"]) == 1


def test_signed_out_unknown_and_hidden_groups(
    stack: Any, api: httpx.Client, force: dict[str, tuple[Account, Person]], browse: Any
) -> None:
    alice = force["alice"][1]
    hidden = found_group(api, alice, visibility="hidden")
    with portal_client(stack) as anonymous:
        to_sign_in = anonymous.get(f"/groups/{hidden}/members")
    assert to_sign_in.status_code == 303
    assert to_sign_in.headers["location"] == f"/sign-in?next=%2Fgroups%2F{hidden}%2Fmembers"
    outsider = browse("erin")
    unknown = outsider.get("/groups/00000000-0000-4000-8000-000000000000")
    secret = outsider.get(f"/groups/{hidden}")
    assert unknown.status_code == secret.status_code == 404
    assert "Page not found" in secret.text and "text/html" in secret.headers["content-type"]
