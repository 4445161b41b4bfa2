"""Membership's reads for the portal against the running stack: an account's own groups and
waiting requests (`GET /me/groups`), a group's officers by name (`GET /groups/{id}/officers`),
waiting requests with the asker's name, and the force's name on a group."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.membership_people import (
    Person,
    found_group,
    join,
    membership_api_fixture,  # noqa: F401 (the api fixture)
    people_in_new_forces,
)
from tests.integration.refusals import refusal_reasons

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def people(stack: Any) -> dict[str, Person]:
    return people_in_new_forces(
        stack,
        {
            "alice": ("member", "Alice Coordinator"),
            "bob": ("member", "Bob Neighbour"),
            "carol": ("member", "Carol Chair"),
            "dan": ("member", "Dan Outsider"),
            "police": ("police", "PC Patel"),
        },
    )


def test_an_account_lists_its_own_groups_with_its_roles_and_its_waiting_requests(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    watch = found_group(api, alice, name="Acacia Avenue Watch")
    club = found_group(api, carol, group_type="community_group", name="Birch Road Residents")
    join(api, club, carol, bob)
    asked = api.post(f"/groups/{watch}/join-requests", headers=bob.auth)
    assert asked.status_code == 201

    mine = api.get("/me/groups", headers=bob.auth)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert [(g["group_id"], g["roles"]) for g in body["groups"]] == [(club, ["member"])]
    assert body["groups"][0]["name"] == "Birch Road Residents"
    assert body["groups"][0]["status"] == "open"
    [waiting] = body["join_requests"]
    assert waiting["request_id"] == asked.json()["request_id"]
    assert waiting["group"]["group_id"] == watch
    assert waiting["group"]["name"] == "Acacia Avenue Watch"

    leading = api.get("/me/groups", headers=alice.auth).json()
    assert [(g["group_id"], g["roles"]) for g in leading["groups"]] == [
        (watch, ["member", "coordinator"])
    ]
    assert leading["join_requests"] == []

    # The officers hide the group: someone still outside it no longer sees it listed.
    hidden = api.patch(f"/groups/{watch}", json={"visibility": "hidden"}, headers=alice.auth)
    assert hidden.status_code == 200, hidden.text
    assert api.get("/me/groups", headers=bob.auth).json()["join_requests"] == []
    assert api.get("/me/groups", headers=people["dan"].auth).json() == {
        "account_id": people["dan"].account_id,
        "groups": [],
        "join_requests": [],
    }


def test_the_listing_needs_a_token(api: httpx.Client) -> None:
    assert api.get("/me/groups").status_code == 401


def test_members_see_their_groups_officers_by_name_even_with_the_member_list_closed(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, bob, dan = people["alice"], people["bob"], people["dan"]
    watch = found_group(api, alice, directory="officers")
    join(api, watch, alice, bob)
    assert api.get(f"/groups/{watch}/members", headers=bob.auth).status_code == 403
    officers = api.get(f"/groups/{watch}/officers", headers=bob.auth)
    assert officers.status_code == 200, officers.text
    assert officers.json()["officers"] == [
        {
            "account_id": alice.account_id,
            "display_name": "Alice Coordinator",
            "roles": ["coordinator"],
            "approvals": [],
        }
    ]
    assert api.get(f"/groups/{watch}/officers", headers=people["police"].auth).status_code == 200
    outsider = api.get(f"/groups/{watch}/officers", headers=dan.auth)
    assert outsider.status_code == 403
    assert "not_a_group_member" in refusal_reasons(stack, outsider)


def test_waiting_requests_carry_the_askers_name_and_a_group_its_forces_name(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, dan = people["alice"], people["dan"]
    watch = found_group(api, alice)
    asked = api.post(f"/groups/{watch}/join-requests", headers=dan.auth)
    assert asked.status_code == 201
    waiting = api.get(f"/groups/{watch}/join-requests", headers=alice.auth).json()["requests"]
    assert [(r["account_id"], r["display_name"]) for r in waiting] == [
        (dan.account_id, "Dan Outsider")
    ]
    assert api.get(f"/groups/{watch}", headers=alice.auth).json()["tenant_name"] == (
        "Test Constabulary"
    )
