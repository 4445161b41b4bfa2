"""Membership over REST against the running stack: founding, joining, officers, approval
markings, who sees what (OPA), tenancy and optimistic concurrency."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.membership_people import (
    Force,
    Person,
    found_group,
    identity_client,
    identity_context,
    join,
    membership_api_fixture,  # noqa: F401 (the api fixture)
    people_in_new_forces,
    stream_event_types,
    wait_for_account,
    wait_for_tenant,
)
from tests.integration.refusals import refusal_reasons

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def people(stack: Any) -> dict[str, Person]:
    """Force A: three residents, a police officer, a force admin, an area coordinator; and a
    resident of force B."""
    return people_in_new_forces(
        stack,
        {
            "alice": ("member", "Alice Coordinator"),
            "bob": ("member", "Bob Neighbour"),
            "carol": ("member", "Carol Chair"),
            "dan": ("member", "Dan Outsider"),
            "police": ("police", "PC Patel"),
            "admin": ("tenant_admin", "Force Admin"),
            "area": ("area_coordinator", "Area Coordinator"),
        },
        {"other": ("member", "Other Force Resident")},
    )


def version_of(api: httpx.Client, group_id: str, reader: Person) -> int:
    read = api.get(f"/groups/{group_id}", headers=reader.auth)
    assert read.status_code == 200, read.text
    return int(read.json()["version"])


def test_a_member_founds_a_watch_group_and_becomes_its_coordinator(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice = people["alice"]
    group_id = found_group(api, alice, description="Bedford Square and around")
    group = api.get(f"/groups/{group_id}", headers=alice.auth).json()
    assert group["officers"] == [
        {"account_id": alice.account_id, "roles": ["coordinator"], "approvals": []}
    ]
    assert (group["version"], group["status"], group["visibility"]) == (3, "open", "public")
    assert group["tenant"] == alice.tenant


def test_bad_input_is_a_problem_and_records_nothing(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    alice = people["alice"]
    body = {"group_type": "book_club", "name": "x", "ward_code": "W1", "ward_name": "Ward"}
    refused = api.post("/groups", json=body, headers=alice.auth)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    extra = api.post(
        "/groups", json={**body, "group_type": "community_group", "x": 1}, headers=alice.auth
    )
    assert extra.status_code == 422
    group_id = found_group(api, alice)
    before = stream_event_types(stack, group_id)
    assert (
        api.get("/groups", params={"cursor": "not-a-cursor"}, headers=alice.auth).status_code == 422
    )
    bad_role = api.put(
        f"/groups/{group_id}/officers/chair",
        json={"account_id": people["bob"].account_id},
        headers=alice.auth,
    )
    assert bad_role.status_code == 422  # a watch group has coordinators, not chairs
    assert api.get(f"/groups/{uuid.uuid4()}", headers=alice.auth).status_code == 404
    assert api.get("/groups/not-a-uuid", headers=alice.auth).status_code == 422
    nul = api.patch(f"/groups/{group_id}", json={"name": "a\u0000b"}, headers=alice.auth)
    assert nul.status_code == 422
    assert api.get(f"/public/{alice.tenant}/groups", params={"q": "a\x00"}).status_code == 422
    assert api.post("/groups", json=body).status_code == 401
    assert stream_event_types(stack, group_id) == before


def test_joining_admitting_and_the_member_list_with_names_from_identity(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, bob, dan = people["alice"], people["bob"], people["dan"]
    group_id = found_group(api, alice)
    asked = api.post(f"/groups/{group_id}/join-requests", headers=bob.auth)
    assert asked.status_code == 201
    again = api.post(f"/groups/{group_id}/join-requests", headers=bob.auth)
    assert again.status_code == 409
    waiting = api.get(f"/groups/{group_id}/join-requests", headers=alice.auth).json()["requests"]
    assert [r["account_id"] for r in waiting] == [bob.account_id]
    assert api.get(f"/groups/{group_id}/join-requests", headers=bob.auth).status_code == 403
    rid = asked.json()["request_id"]
    admitted = api.post(
        f"/groups/{group_id}/join-requests/{rid}/admit",
        json={"expected_version": 4},
        headers=alice.auth,
    )
    assert admitted.status_code == 200 and admitted.json()["version"] == 5
    listed = api.get(f"/groups/{group_id}/members", headers=alice.auth)
    assert listed.status_code == 200
    by_id = {m["account_id"]: m for m in listed.json()["members"]}
    assert by_id[bob.account_id]["display_name"] == "Bob Neighbour"
    assert by_id[alice.account_id]["roles"] == ["member", "coordinator"]
    assert by_id[bob.account_id]["roles"] == ["member"]
    # Dan asks, is rejected, and stays out.
    rid_dan = api.post(f"/groups/{group_id}/join-requests", headers=dan.auth).json()["request_id"]
    rejected = api.post(f"/groups/{group_id}/join-requests/{rid_dan}/reject", headers=alice.auth)
    assert rejected.status_code == 200
    members = api.get(f"/groups/{group_id}/members", headers=alice.auth).json()["members"]
    assert dan.account_id not in {m["account_id"] for m in members}
    assert stream_event_types(stack, group_id)[3:] == [
        "membership.JoinRequested",
        "membership.MemberAdmitted",
        "membership.JoinRequested",
        "membership.JoinRejected",
    ]


def test_police_cannot_admit_remove_or_appoint_and_nothing_changes(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, bob, dan, police = people["alice"], people["bob"], people["dan"], people["police"]
    group_id = found_group(api, alice)
    join(api, group_id, alice, bob)
    rid = api.post(f"/groups/{group_id}/join-requests", headers=dan.auth).json()["request_id"]
    before = stream_event_types(stack, group_id)
    attempts = [
        api.post(f"/groups/{group_id}/join-requests/{rid}/admit", headers=police.auth),
        api.post(f"/groups/{group_id}/join-requests/{rid}/reject", headers=police.auth),
        api.delete(f"/groups/{group_id}/members/{bob.account_id}", headers=police.auth),
        api.put(
            f"/groups/{group_id}/officers/coordinator",
            json={"account_id": bob.account_id},
            headers=police.auth,
        ),
        api.delete(
            f"/groups/{group_id}/officers/coordinator/{alice.account_id}", headers=police.auth
        ),
    ]
    for attempt in attempts:
        assert attempt.status_code == 403, attempt.text
        assert "staff_kind_never_runs_groups" in refusal_reasons(stack, attempt)
    assert stream_event_types(stack, group_id) == before
    # ... while police do see the membership, and the admin too.
    for staff in (police, people["admin"]):
        seen = api.get(f"/groups/{group_id}/members", headers=staff.auth)
        assert seen.status_code == 200
        assert {m["account_id"] for m in seen.json()["members"]} == {
            alice.account_id,
            bob.account_id,
        }


def test_each_side_marks_and_withdraws_only_its_own_marking(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, police, area = people["alice"], people["police"], people["area"]
    group_id = found_group(api, alice)
    for who in (police, area):
        marked = api.post(
            "/approvals",
            json={"group_id": group_id, "subject": "group", "side": who.kind},
            headers=who.auth,
        )
        assert marked.status_code == 201, marked.text
    coordinator = {"group_id": group_id, "subject": "coordinator", "account_id": alice.account_id}
    assert (
        api.post(
            "/approvals", json={**coordinator, "side": "police"}, headers=police.auth
        ).status_code
        == 201
    )
    # Neither side can set or withdraw the other's marking.
    other_side = api.post(
        "/approvals",
        json={
            "group_id": group_id,
            "subject": "member",
            "account_id": alice.account_id,
            "side": "police",
        },
        headers=area.auth,
    )
    assert other_side.status_code == 403
    assert "approval_side_mismatch" in refusal_reasons(stack, other_side)
    for who, side in ((area, "police"), (police, "area_coordinator")):
        refused = api.delete(
            "/approvals",
            params={"group_id": group_id, "subject": "group", "side": side},
            headers=who.auth,
        )
        assert refused.status_code == 403
        assert "approval_side_mismatch" in refusal_reasons(stack, refused)
    group = api.get(f"/groups/{group_id}", headers=police.auth).json()
    assert group["approvals"] == ["area_coordinator", "police"]
    assert group["officers"][0]["approvals"] == ["police"]
    withdrawn = api.delete(
        "/approvals",
        params={"group_id": group_id, "subject": "group", "side": "police"},
        headers=police.auth,
    )
    assert withdrawn.status_code == 200
    assert api.get(f"/groups/{group_id}", headers=police.auth).json()["approvals"] == [
        "area_coordinator"
    ]
    # Members cannot mark at all; the public list shows the markings.
    by_member = api.post(
        "/approvals",
        json={"group_id": group_id, "subject": "group", "side": "police"},
        headers=alice.auth,
    )
    assert by_member.status_code == 403
    listed = api.get(f"/public/{alice.tenant}/groups", params={"q": group["name"]}).json()["groups"]
    assert [g["approvals"] for g in listed] == [["area_coordinator"]]


def test_a_hidden_ward_panel_is_seen_by_its_members_and_police_only(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    carol, bob, dan, police = people["carol"], people["bob"], people["dan"], people["police"]
    wait_for_account(stack, carol.account_id)
    name = f"Panel {uuid.uuid4().hex[:6]}"
    body = {
        "group_type": "ward_panel",
        "name": name,
        "ward_code": "E05000139",
        "ward_name": "Holborn",
        "first_chair": carol.account_id,
    }
    assert api.post("/groups", json=body, headers=carol.auth).status_code == 403  # members can't
    made = api.post("/groups", json=body, headers=police.auth)
    assert made.status_code == 201, made.text
    panel = made.json()["group_id"]
    officers = api.get(f"/groups/{panel}", headers=carol.auth).json()["officers"]
    assert officers == [{"account_id": carol.account_id, "roles": ["chair"], "approvals": []}]
    join(api, panel, carol, bob)
    hidden = api.patch(f"/groups/{panel}", json={"visibility": "hidden"}, headers=carol.auth)
    assert hidden.status_code == 200
    public = api.get(f"/public/{carol.tenant}/groups", params={"q": name}).json()["groups"]
    assert public == []

    def visible_to(who: Person) -> bool:
        listed = api.get("/groups", params={"q": name}, headers=who.auth).json()["groups"]
        return panel in {g["group_id"] for g in listed}

    assert visible_to(police) and visible_to(people["admin"]) and visible_to(bob)
    assert not visible_to(dan) and not visible_to(people["area"])
    # Invariant 5: to an outsider, the hidden panel is exactly an unknown id.
    unknown = api.get(f"/groups/{uuid.uuid4()}", headers=dan.auth)
    assert unknown.status_code == 404
    for answer in (
        api.get(f"/groups/{panel}", headers=dan.auth),
        api.get(f"/groups/{panel}/members", headers=dan.auth),
        api.get(f"/groups/{panel}/standing", headers=dan.auth),
        api.post(f"/groups/{panel}/join-requests", headers=dan.auth),
        api.patch(f"/groups/{panel}", json={"name": "Renamed"}, headers=dan.auth),
    ):
        assert (answer.status_code, answer.json()) == (404, unknown.json()), answer.text
    # Every member of a ward panel sees its member list; police see it too.
    for who in (bob, police):
        seen = api.get(f"/groups/{panel}/members", headers=who.auth)
        assert seen.status_code == 200
        assert {m["account_id"] for m in seen.json()["members"]} == {
            carol.account_id,
            bob.account_id,
        }


def test_staff_listing_groups_without_a_second_factor_are_told_so_not_given_nothing(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        police = Force(stack, ctx, identity).person("police", "PC Password Only", enrol=False)
    wait_for_tenant(stack, police.tenant)
    listed = api.get("/groups", headers=police.auth)
    assert listed.status_code == 403, listed.text
    assert listed.json()["type"] == "urn:snp:problem:mfa-required"
    assert listed.json()["reasons"] == ["mfa_required"]
    # A member has no second factor to give and lists as before.
    assert api.get("/groups", headers=people["alice"].auth).status_code == 200


def test_officers_choose_whether_members_see_the_member_list(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, bob = people["alice"], people["bob"]
    group_id = found_group(api, alice)
    join(api, group_id, alice, bob)
    refused = api.get(f"/groups/{group_id}/members", headers=bob.auth)
    assert refused.status_code == 403
    opened = api.patch(f"/groups/{group_id}", json={"directory": "members"}, headers=bob.auth)
    assert opened.status_code == 403  # only the coordinator edits the group
    assert (
        api.patch(
            f"/groups/{group_id}", json={"directory": "members"}, headers=alice.auth
        ).status_code
        == 200
    )
    assert api.get(f"/groups/{group_id}/members", headers=bob.auth).status_code == 200
    assert api.get(f"/groups/{group_id}/members", headers=people["dan"].auth).status_code == 403


def test_nobody_sees_or_joins_a_group_of_another_force(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, other = people["alice"], people["other"]
    group_id = found_group(api, alice)
    assert api.get(f"/groups/{group_id}", headers=other.auth).status_code == 404
    assert api.get(f"/groups/{group_id}/members", headers=other.auth).status_code == 404
    assert api.post(f"/groups/{group_id}/join-requests", headers=other.auth).status_code == 404
    mine = api.get("/groups", params={"limit": 100}, headers=other.auth).json()["groups"]
    assert group_id not in {g["group_id"] for g in mine}
    assert api.get(f"/groups/{group_id}", headers=people["police"].auth).status_code == 200


def test_the_public_list_filters_by_ward_and_searches_names_and_hides_closed_groups(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice = people["alice"]
    tag = uuid.uuid4().hex[:6]
    kept = found_group(api, alice, name=f"Oak Lane {tag} Watch", ward_code="W-OAK", ward_name="Oak")
    found_group(api, alice, name=f"Elm Road {tag} Watch", ward_code="W-ELM", ward_name="Elm")
    closed = found_group(api, alice, name=f"Oak Close {tag}", ward_code="W-OAK", ward_name="Oak")
    assert (
        api.patch(f"/groups/{closed}", json={"status": "closed"}, headers=alice.auth).status_code
        == 200
    )
    hidden = found_group(
        api,
        alice,
        name=f"Oak Hidden {tag}",
        ward_code="W-OAK",
        ward_name="Oak",
        visibility="hidden",
    )
    by_ward = api.get(f"/public/{alice.tenant}/groups", params={"ward": "W-OAK", "q": tag}).json()
    assert [g["group_id"] for g in by_ward["groups"]] == [kept]
    assert by_ward["groups"][0]["ward_name"] == "Oak" and "version" not in by_ward["groups"][0]
    searched = api.get(f"/public/{alice.tenant}/groups", params={"q": f"ELM ROAD {tag}"}).json()
    assert [g["name"] for g in searched["groups"]] == [f"Elm Road {tag} Watch"]
    assert api.get(f"/public/{alice.tenant}/groups", params={"q": "%"}).json()["groups"] == []
    # Paging walks every public group exactly once.
    seen, cursor = [], None
    while True:
        params: dict[str, str | int] = {"q": tag, "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = api.get(f"/public/{alice.tenant}/groups", params=params).json()
        seen += [g["group_id"] for g in page["groups"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([kept, *[g["group_id"] for g in searched["groups"]]])
    assert hidden not in seen and closed not in seen
    assert (
        api.post(f"/groups/{closed}/join-requests", headers=people["bob"].auth).status_code == 403
    )


def test_the_ward_search_takes_a_wards_code_or_part_of_its_name(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, tag = people["alice"], uuid.uuid4().hex[:6]
    holborn = found_group(
        api,
        alice,
        name=f"Holborn {tag}",
        ward_code="E05000139",
        ward_name="Holborn and Covent Garden",
    )
    found_group(api, alice, name=f"Camden {tag}", ward_code="E05000130", ward_name="Camden Town")

    def ward_search(text: str) -> list[str]:
        params = {"q": tag, "ward_q": text}
        listed = api.get(f"/public/{alice.tenant}/groups", params=params)
        assert listed.status_code == 200, listed.text
        mine = api.get("/groups", params=params, headers=alice.auth).json()["groups"]
        assert [g["group_id"] for g in mine] == [g["group_id"] for g in listed.json()["groups"]]
        return [g["group_id"] for g in listed.json()["groups"]]

    assert ward_search("covent GARDEN") == [holborn]
    assert ward_search("e05000139") == [holborn]
    assert ward_search("E0500013") == []  # a code matches whole, never in part
    assert ward_search("%") == [] and ward_search("_") == []
    assert len(ward_search("o")) == 2
    refused = api.get(f"/public/{alice.tenant}/groups", params={"ward_q": "x\x00"})
    assert refused.status_code == 422


def test_one_public_group_is_shown_to_anyone_and_any_other_is_not_found(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, police, other = people["alice"], people["police"], people["other"]
    shown = found_group(api, alice, ward_code="W-PUB", ward_name="Pub Ward")
    marked = api.post(
        "/approvals",
        json={"group_id": shown, "subject": "group", "side": "police"},
        headers=police.auth,
    )
    assert marked.status_code == 201, marked.text
    hidden = found_group(api, alice, visibility="hidden")
    closed = found_group(api, alice)
    assert api.patch(f"/groups/{closed}", json={"status": "closed"}, headers=alice.auth).is_success

    public = api.get(f"/public/{alice.tenant}/groups/{shown}")  # no token
    assert public.status_code == 200
    group = public.json()
    assert (group["group_id"], group["ward_name"], group["status"]) == (shown, "Pub Ward", "open")
    assert group["approvals"] == ["police"]
    assert "officers" not in group and "version" not in group and "visibility" not in group
    unknown = api.get(f"/public/{alice.tenant}/groups/{uuid.uuid4()}")
    assert unknown.status_code == 404
    for not_public in (hidden, closed):
        answer = api.get(f"/public/{alice.tenant}/groups/{not_public}")
        assert (answer.status_code, answer.json()) == (404, unknown.json())
    # Under another force's name it is not found either.
    elsewhere = api.get(f"/public/{other.tenant}/groups/{shown}")
    assert (elsewhere.status_code, elsewhere.json()) == (404, unknown.json())


def test_a_member_reads_their_own_standing_in_a_group(
    api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, bob, dan = people["alice"], people["bob"], people["dan"]
    group_id = found_group(api, alice)

    def standing(who: Person) -> dict[str, Any]:
        read = api.get(f"/groups/{group_id}/standing", headers=who.auth)
        assert read.status_code == 200, read.text
        return dict(read.json())

    assert standing(alice)["roles"] == ["member", "coordinator"] and standing(alice)["member"]
    assert standing(bob) == {
        "group_id": group_id,
        "member": False,
        "roles": [],
        "pending_request": None,
    }
    asked = api.post(f"/groups/{group_id}/join-requests", headers=bob.auth).json()["request_id"]
    assert standing(bob)["pending_request"] == asked
    assert standing(dan)["pending_request"] is None  # one's own standing only
    api.post(f"/groups/{group_id}/join-requests/{asked}/admit", headers=alice.auth)
    assert standing(bob) == {
        "group_id": group_id,
        "member": True,
        "roles": ["member"],
        "pending_request": None,
    }
    hidden = found_group(api, alice, visibility="hidden")
    assert api.get(f"/groups/{hidden}/standing", headers=dan.auth).status_code == 404
    assert api.get(f"/groups/{group_id}/standing").status_code == 401


def test_the_last_leader_hands_over_before_leaving_and_members_leave_or_are_removed(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    group_id = found_group(api, alice, group_type="community_group")
    join(api, group_id, alice, bob)
    join(api, group_id, alice, carol)
    assert (
        api.delete(f"/groups/{group_id}/members/{alice.account_id}", headers=alice.auth).status_code
        == 409
    )
    assert (
        api.delete(
            f"/groups/{group_id}/officers/chair/{alice.account_id}", headers=alice.auth
        ).status_code
        == 409
    )
    # Bob cannot appoint; Alice hands the chair to Bob and is no longer chair.
    assert (
        api.put(
            f"/groups/{group_id}/officers/secretary",
            json={"account_id": bob.account_id},
            headers=bob.auth,
        ).status_code
        == 403
    )
    handed = api.put(
        f"/groups/{group_id}/officers/chair",
        json={"account_id": bob.account_id},
        headers=alice.auth,
    )
    assert handed.status_code == 200, handed.text
    officers = api.get(f"/groups/{group_id}", headers=bob.auth).json()["officers"]
    assert officers == [{"account_id": bob.account_id, "roles": ["chair"], "approvals": []}]
    assert (
        api.delete(f"/groups/{group_id}/members/{alice.account_id}", headers=alice.auth).status_code
        == 200
    )
    removed = api.delete(f"/groups/{group_id}/members/{carol.account_id}", headers=bob.auth)
    assert removed.status_code == 200
    assert (
        api.delete(f"/groups/{group_id}/members/{carol.account_id}", headers=bob.auth).status_code
        == 404
    )
    assert stream_event_types(stack, group_id)[-4:] == [
        "membership.OfficerStoodDown",
        "membership.OfficerAppointed",
        "membership.MemberLeft",
        "membership.MemberRemoved",
    ]


def test_two_officers_admitting_at_once_give_one_success_and_one_conflict(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    alice, bob, carol, dan = people["alice"], people["bob"], people["carol"], people["dan"]
    group_id = found_group(api, alice)
    join(api, group_id, alice, bob)
    appointed = api.put(
        f"/groups/{group_id}/officers/coordinator",
        json={"account_id": bob.account_id},
        headers=alice.auth,
    )
    assert appointed.status_code == 200
    rids = [
        api.post(f"/groups/{group_id}/join-requests", headers=who.auth).json()["request_id"]
        for who in (carol, dan)
    ]
    version = version_of(api, group_id, alice)
    results: list[httpx.Response] = []
    start = threading.Barrier(2)

    def admit(officer: Person, rid: str) -> None:
        with httpx.Client(base_url=str(api.base_url), timeout=30) as own:
            start.wait()
            results.append(
                own.post(
                    f"/groups/{group_id}/join-requests/{rid}/admit",
                    json={"expected_version": version},
                    headers=officer.auth,
                )
            )

    threads = [
        threading.Thread(target=admit, args=pair) for pair in zip((alice, bob), rids, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in results) == [200, 409]
    conflict = next(r for r in results if r.status_code == 409)
    assert conflict.headers["content-type"].startswith("application/problem+json")
    members = api.get(f"/groups/{group_id}/members", headers=alice.auth).json()["members"]
    assert len(members) == 3  # alice, bob and exactly one of carol and dan
    assert stream_event_types(stack, group_id).count("membership.MemberAdmitted") == 3
    # A stale version is refused even without a race.
    stale = api.put(
        f"/groups/{group_id}/officers/coordinator",
        json={"account_id": bob.account_id, "expected_version": version},
        headers=alice.auth,
    )
    assert stale.status_code == 409
