"""The police admin panel over plain HTTP through the portal, against the real stack: the
force's groups by each filter (hidden ones included), a group's membership with the police side
of each marking set and withdrawn (checked in membership's API), the other side's marking shown
but not offered, no control to run the group and forged posts to run it refused by membership,
founding a ward panel with its first chair found by email (the release recorded by identity),
each refusal in plain words, and other kinds kept out of the panel and refused by the services."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from snp.identity.v1 import events_pb2 as identity_pb
from tests.integration.group_people import a_force_of, version_on
from tests.integration.membership_people import (
    Person,
    found_group,
    identity_client,
    join,
    membership_client,
)
from tests.integration.portal_people import Account, csrf_of, portal_client, sign_in
from tests.integration.refusals import refusal_reasons

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def api(stack: Any) -> Iterator[httpx.Client]:
    with membership_client(stack) as client:
        yield client


@pytest.fixture(scope="module")
def identity(stack: Any) -> Iterator[httpx.Client]:
    with identity_client(stack) as client:
        yield client


@pytest.fixture(scope="module")
def force(stack: Any) -> dict[str, tuple[Account, Person]]:
    people = a_force_of(
        stack,
        alice=("member", "Alice Lead"),
        bob=("member", "Bob Neighbour"),
        carol=("member", "Carol Chair"),
        dan=("member", "Dan Asker"),
        police=("police", "PC Sam Patel"),
        area=("area_coordinator", "Ann Area"),
        admin=("tenant_admin", "Ada Admin"),
        auditor=("auditor", "Aud Itor"),
    )
    return people  # the portal's sign-ins take steps the API's left (Account.next_code)


@pytest.fixture(scope="module")
def officer(stack: Any, force: dict[str, tuple[Account, Person]]) -> Iterator[httpx.Client]:
    """The police officer's portal session, signed in with the authenticator."""
    with portal_client(stack) as client:
        assert sign_in(client, force["police"][0]).status_code == 303
        yield client


def _group(api: httpx.Client, group_id: str, who: Person) -> dict[str, Any]:
    found = api.get(f"/groups/{group_id}", headers=who.auth)
    assert found.status_code == 200, found.text
    body: dict[str, Any] = found.json()
    return body


def _listed(officer: httpx.Client, **filters: str) -> str:
    page = officer.get("/police/groups", params=filters)
    assert page.status_code == 200, page.text
    return page.text


def _mark(
    officer: httpx.Client, group_id: str, **fields: str
) -> tuple[httpx.Response, httpx.Response]:
    """Post a marking form as the page draws it (its CSRF token and group version)."""
    page = officer.get(f"/police/groups/{group_id}")
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_of(page), "version": version_on(page), **fields}
    return page, officer.post(f"/police/groups/{group_id}/markings", data=data)


def test_the_force_s_groups_by_every_filter(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], officer: httpx.Client
) -> None:
    alice, carol = force["alice"][1], force["carol"][1]
    police, area = force["police"][1], force["area"][1]
    watch = found_group(api, alice, name="Filter Lane Watch", ward_code="FW001", ward_name="Fenby")
    hidden = found_group(
        api,
        carol,
        group_type="community_group",
        name="Filter Hidden Circle",
        visibility="hidden",
        ward_code="FW002",
        ward_name="Garth",
    )
    closed = found_group(api, alice, name="Filter Closed Watch", ward_code="FW001")
    shut = api.patch(f"/groups/{closed}", json={"status": "closed"}, headers=alice.auth)
    assert shut.status_code == 200, shut.text
    for side, who in (("police", police), ("area_coordinator", area)):
        marked = api.post(
            "/approvals",
            json={"group_id": watch, "subject": "group", "side": side},
            headers=who.auth,
        )
        assert marked.status_code == 201, marked.text

    everything = _listed(officer, q="Filter")
    assert "Filter Lane Watch" in everything and "Filter Closed Watch" in everything
    assert "Filter Hidden Circle" in everything  # hidden groups too, for the police
    assert f'href="/police/groups/{hidden}"' in everything

    by_type = _listed(officer, q="Filter", group_type="community_group")
    assert "Filter Hidden Circle" in by_type and "Filter Lane Watch" not in by_type
    by_ward = _listed(officer, ward="Garth")
    assert "Filter Hidden Circle" in by_ward and "Filter Lane Watch" not in by_ward
    by_code = _listed(officer, ward="FW001")
    assert "Filter Lane Watch" in by_code and "Filter Hidden Circle" not in by_code
    only_closed = _listed(officer, q="Filter", status="closed")
    assert "Filter Closed Watch" in only_closed and "Filter Lane Watch" not in only_closed
    only_hidden = _listed(officer, q="Filter", visibility="hidden")
    assert "Filter Hidden Circle" in only_hidden and "Filter Closed Watch" not in only_hidden
    both = _listed(officer, q="Filter", approval="both")
    assert "Filter Lane Watch" in both and "Filter Closed Watch" not in both
    not_police = _listed(officer, q="Filter", approval="not_police")
    assert "Filter Lane Watch" not in not_police and "Filter Closed Watch" in not_police
    neither = _listed(officer, q="Filter", approval="none")
    assert "Filter Hidden Circle" in neither and "Filter Lane Watch" not in neither

    # The group is marked, but its coordinator is not yet: it is still waiting for the police.
    waiting = _listed(officer, q="Filter", awaiting_police="yes")
    assert "Filter Lane Watch" in waiting and "Filter Hidden Circle" in waiting
    coordinator = api.post(
        "/approvals",
        json={
            "group_id": watch,
            "subject": "coordinator",
            "side": "police",
            "account_id": alice.account_id,
        },
        headers=police.auth,
    )
    assert coordinator.status_code == 201, coordinator.text
    assert "Filter Lane Watch" not in _listed(officer, q="Filter", awaiting_police="yes")
    assert "No groups found." in _listed(officer, q="Filter", needs_officer="yes")


def test_a_group_that_lost_its_last_leader_is_listed_as_needing_an_officer(
    api: httpx.Client,
    identity: httpx.Client,
    force: dict[str, tuple[Account, Person]],
    officer: httpx.Client,
) -> None:
    dan, admin = force["dan"][1], force["admin"][1]
    watch = found_group(api, dan, name="Orphan Row Watch")
    erased = identity.delete(f"/accounts/{dan.account_id}", headers=admin.auth)
    assert erased.status_code == 204, erased.text
    deadline = time.monotonic() + 60
    while not _group(api, watch, force["police"][1])["needs_officer"]:
        assert time.monotonic() < deadline, "membership never flagged the group"
        time.sleep(0.3)
    flagged = _listed(officer, q="Orphan Row", needs_officer="yes")
    assert "Orphan Row Watch" in flagged and "Needs an officer" in flagged
    page = officer.get(f"/police/groups/{watch}").text
    assert "Needs an officer: it has no chair or coordinator" in page


def test_bad_filters_are_told_and_nothing_is_asked(officer: httpx.Client) -> None:
    page = officer.get("/police/groups", params={"group_type": "book_club", "q": "x" * 101})
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert "Select a kind of group from the list" in page.text
    assert "The group name must be 100 characters or fewer" in page.text
    assert "No groups found." not in page.text
    bad_cursor = officer.get("/police/groups", params={"cursor": "bm90LWEtY3Vyc29y"})
    assert bad_cursor.status_code == 400 and "Start the search again" in bad_cursor.text


def test_a_group_s_membership_and_the_police_side_of_each_marking(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], officer: httpx.Client
) -> None:
    alice, bob = force["alice"][1], force["bob"][1]
    police, area = force["police"][1], force["area"][1]
    watch = found_group(api, alice, name="Marking Mews Watch")
    join(api, watch, alice, bob)
    by_area = api.post(
        "/approvals",
        json={"group_id": watch, "subject": "group", "side": "area_coordinator"},
        headers=area.auth,
    )
    assert by_area.status_code == 201, by_area.text

    page, marked = _mark(officer, watch, subject="group", change="mark")
    text = page.text
    assert "Alice Lead" in text and "Bob Neighbour" in text and "Coordinator" in text
    assert "Approved by the Neighbourhood Watch area coordinator" in text
    # Police-side controls only: the group, its coordinator, and each of its two members.
    assert text.count('name="change"') == 4
    assert 'value="area_coordinator"' not in text and 'name="side"' not in text
    for control in ("/join-requests/", "/remove", "Appoint", "stand-down", "hand-over"):
        assert control not in text
    assert marked.status_code == 303, marked.text
    assert marked.headers["location"] == f"/police/groups/{watch}?done=marked&subject=group"
    assert sorted(_group(api, watch, police)["approvals"]) == ["area_coordinator", "police"]
    after = officer.get(marked.headers["location"]).text
    assert "You have marked the group as approved by the police." in after
    assert "Approved by Test Constabulary" in after

    _page, member = _mark(
        officer, watch, subject="member", account_id=bob.account_id, change="mark"
    )
    assert member.status_code == 303, member.text
    _page, leader = _mark(
        officer, watch, subject="coordinator", account_id=alice.account_id, change="mark"
    )
    assert leader.status_code == 303, leader.text
    members = api.get(f"/groups/{watch}/members", headers=police.auth).json()["members"]
    marks = {m["account_id"]: m["approvals"] for m in members}
    assert marks[bob.account_id] == {"member": ["police"]}
    assert _group(api, watch, police)["officers"][0]["approvals"] == ["police"]

    _page, withdrawn = _mark(officer, watch, subject="group", change="withdraw")
    assert withdrawn.status_code == 303
    assert (
        "You have withdrawn the police approval of the group."
        in officer.get(withdrawn.headers["location"]).text
    )
    # The other side's marking stays: police withdrew only their own.
    assert _group(api, watch, police)["approvals"] == ["area_coordinator"]


def test_marking_refusals_are_told_and_change_nothing(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], officer: httpx.Client
) -> None:
    alice, police = force["alice"][1], force["police"][1]
    watch = found_group(api, alice, name="Refusal Road Watch")
    page = officer.get(f"/police/groups/{watch}")
    stale_version = version_on(page)
    _page, first = _mark(officer, watch, subject="group", change="mark")
    assert first.status_code == 303
    stale = officer.post(
        f"/police/groups/{watch}/markings",
        data={
            "csrf_token": csrf_of(page),
            "version": stale_version,
            "subject": "group",
            "change": "withdraw",
        },
    )
    assert stale.status_code == 409
    assert "The group changed while you were on this page" in stale.text
    assert _group(api, watch, police)["approvals"] == ["police"]

    _page, again = _mark(officer, watch, subject="group", change="mark")
    assert again.status_code == 409
    assert "It is already marked as approved by the police." in again.text
    _page, nonsense = _mark(officer, watch, subject="treasurer", change="mark")
    assert nonsense.status_code == 400 and "Choose a marking from the page" in nonsense.text
    _page, outsider = _mark(
        officer, watch, subject="member", account_id=force["bob"][1].account_id, change="mark"
    )
    assert outsider.status_code == 409
    assert "That person is no longer a member of the group." in outsider.text
    no_token = officer.post(
        f"/police/groups/{watch}/markings", data={"subject": "group", "change": "withdraw"}
    )
    assert no_token.status_code == 403
    assert _group(api, watch, police)["approvals"] == ["police"]


def test_police_cannot_run_a_group_through_the_portal_or_the_api(
    stack: Any, api: httpx.Client, force: dict[str, tuple[Account, Person]], officer: httpx.Client
) -> None:
    """No control is offered; a forged post to the officers' own forms meets membership's
    policy (403) and nothing changes."""
    alice, bob, dan = force["alice"][1], force["bob"][1], force["carol"][1]
    police = force["police"][1]
    watch = found_group(api, alice, name="Forged Post Watch")
    join(api, watch, alice, bob)
    asked = api.post(f"/groups/{watch}/join-requests", headers=dan.auth)
    assert asked.status_code == 201, asked.text
    rid = asked.json()["request_id"]
    before = _group(api, watch, police)
    csrf = csrf_of(officer.get("/police/groups"))
    forged = {
        f"/groups/{watch}/join-requests/{rid}/admit": {},
        f"/groups/{watch}/members/{bob.account_id}/remove": {},
        f"/groups/{watch}/officers": {"account_id": bob.account_id, "role": "coordinator"},
    }
    for action, fields in forged.items():
        answer = officer.post(
            action, data={"csrf_token": csrf, "version": str(before["version"]), **fields}
        )
        assert answer.status_code in (403, 404), (action, answer.status_code)
    for method, path, body in (
        ("POST", f"/groups/{watch}/join-requests/{rid}/admit", {}),
        ("DELETE", f"/groups/{watch}/members/{bob.account_id}", None),
        ("PUT", f"/groups/{watch}/officers/coordinator", {"account_id": bob.account_id}),
    ):
        refused = api.request(method, path, json=body, headers=police.auth)
        assert refused.status_code == 403, (path, refused.text)
        assert "staff_kind_never_runs_groups" in refusal_reasons(stack, refused)
    after = _group(api, watch, police)
    assert after["version"] == before["version"] and after["officers"] == before["officers"]
    waiting = api.get(f"/groups/{watch}/join-requests", headers=alice.auth).json()["requests"]
    assert [r["request_id"] for r in waiting] == [rid]


def test_other_kinds_are_kept_out_and_refused_by_the_services(
    stack: Any,
    api: httpx.Client,
    identity: httpx.Client,
    force: dict[str, tuple[Account, Person]],
) -> None:
    alice, area, auditor = force["alice"][1], force["area"][1], force["auditor"][1]
    watch = found_group(api, alice, name="Other Kinds Watch")
    for key in ("alice", "area", "auditor"):
        with portal_client(stack) as client:
            assert sign_in(client, force[key][0]).status_code == 303
            for page in ("/police/groups", f"/police/groups/{watch}", "/police/ward-panels/new"):
                assert client.get(page).status_code == 403, (key, page)
            csrf = csrf_of(client.get("/account"))
            posted = client.post(
                f"/police/groups/{watch}/markings",
                data={"csrf_token": csrf, "subject": "group", "change": "mark"},
            )
            assert posted.status_code == 403
    # The forged post straight to the service: the area coordinator's token on the police side.
    forged = api.post(
        "/approvals",
        json={"group_id": watch, "subject": "group", "side": "police"},
        headers=area.auth,
    )
    assert forged.status_code == 403
    assert "approval_side_mismatch" in refusal_reasons(stack, forged)
    assert _group(api, watch, alice)["approvals"] == []
    for who in (auditor, area, alice):
        lookup = identity.post(
            "/staff/member-lookups", json={"email": force["bob"][0].email}, headers=who.auth
        )
        assert lookup.status_code == 403, lookup.text


def _releases(stack: Any, account_id: str) -> list[tuple[identity_pb.ContactsReleased, str]]:
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        rows = conn.execute(
            "SELECT payload, metadata->>'actor' FROM events WHERE stream_id = %s "
            "AND event_type LIKE '%%ContactsReleased' ORDER BY position",
            (f"account:{account_id}",),
        ).fetchall()
    return [(identity_pb.ContactsReleased.FromString(bytes(p)), actor) for p, actor in rows]


def test_the_staff_lookup_by_email_returns_id_and_name_only_and_is_recorded(
    stack: Any, identity: httpx.Client, force: dict[str, tuple[Account, Person]]
) -> None:
    bob, police, admin = force["bob"][0], force["police"][1], force["admin"][1]
    before = len(_releases(stack, bob.account_id))
    found = identity.post(
        "/staff/member-lookups", json={"email": bob.email.upper()}, headers=police.auth
    )
    assert found.status_code == 200, found.text
    assert found.json() == {"account_id": bob.account_id, "display_name": "Bob Neighbour"}
    releases = _releases(stack, bob.account_id)
    assert len(releases) == before + 1
    released, actor = releases[-1]
    assert released.requested_by == f"staff:{police.account_id}" and actor == police.account_id
    assert "display name" in released.purpose
    assert (
        identity.post(
            "/staff/member-lookups", json={"email": bob.email}, headers=admin.auth
        ).status_code
        == 200
    )
    # A staff account's address, and an unknown one, get the same 404; nothing is released.
    for email in (force["area"][0].email, "nobody@example.org"):
        missing = identity.post("/staff/member-lookups", json={"email": email}, headers=police.auth)
        assert missing.status_code == 404
        assert missing.json()["detail"] == "No member account of this force has that email address."
    assert _releases(stack, force["area"][0].account_id) == []
    elsewhere = a_force_of(stack, other=("police", "PC Other Force"))["other"][1]
    across = identity.post(
        "/staff/member-lookups", json={"email": bob.email}, headers=elsewhere.auth
    )
    assert across.status_code == 404


def _found_form(officer: httpx.Client, **values: str) -> httpx.Response:
    form = officer.get("/police/ward-panels/new")
    assert form.status_code == 200
    fields = {
        "csrf_token": csrf_of(form),
        "step": "find",
        "name": "Holborn Ward Panel",
        "description": "The ward's panel",
        "ward_name": "Holborn",
        "ward_code": "E05000138",
        "visibility": "hidden",
        **values,
    }
    return officer.post("/police/ward-panels/new", data=fields)


def test_founding_a_ward_panel_with_its_chair_found_by_email(
    stack: Any,
    api: httpx.Client,
    force: dict[str, tuple[Account, Person]],
    officer: httpx.Client,
) -> None:
    carol, police = force["carol"][0], force["police"][1]
    checked = _found_form(officer, chair_email=carol.email)
    assert checked.status_code == 200, checked.text
    assert "Check the panel before you found it" in checked.text
    assert "Carol Chair" in checked.text and carol.account_id in checked.text
    assert _releases(stack, carol.account_id)[-1][0].requested_by == f"staff:{police.account_id}"

    fields = {
        "csrf_token": csrf_of(checked),
        "step": "found",
        "chair_account_id": carol.account_id,
        "name": "Holborn Ward Panel",
        "description": "The ward's panel",
        "ward_name": "Holborn",
        "ward_code": "E05000138",
        "visibility": "hidden",
        "chair_email": carol.email,
    }
    founded = officer.post("/police/ward-panels/new", data=fields)
    assert founded.status_code == 303, founded.text
    location = founded.headers["location"]
    assert location.startswith("/police/groups/") and location.endswith("?done=founded")
    panel_id = location.removeprefix("/police/groups/").split("?")[0]
    panel = _group(api, panel_id, police)
    assert panel["group_type"] == "ward_panel" and panel["visibility"] == "hidden"
    assert panel["officers"] == [
        {"account_id": carol.account_id, "roles": ["chair"], "approvals": []}
    ]
    shown = officer.get(location).text
    assert "The ward panel has been founded." in shown and "Carol Chair" in shown


def test_founding_refusals_are_told_and_nothing_is_founded(
    api: httpx.Client, force: dict[str, tuple[Account, Person]], officer: httpx.Client
) -> None:
    police = force["police"][1]

    def panels() -> int:
        listed = api.get("/groups", params={"group_type": "ward_panel"}, headers=police.auth)
        return len(listed.json()["groups"])

    before = panels()
    empty = _found_form(officer, name="", chair_email="")
    assert empty.status_code == 400
    assert "Enter the panel&#39;s name" in empty.text
    assert "Enter the email address of the panel&#39;s first chair" in empty.text
    unknown = _found_form(officer, chair_email="no-one@example.org")
    assert unknown.status_code == 404
    assert "No resident&#39;s account in this force has that email address" in unknown.text
    staff = _found_form(officer, chair_email=force["area"][0].email)
    assert staff.status_code == 404  # staff accounts are never found
    forged = _found_form(
        officer, step="found", chair_account_id=police.account_id, chair_email="x@example.org"
    )
    assert forged.status_code == 422, forged.text
    assert 'href="#chair_email"' in forged.text
    changed = _found_form(officer, step="change", chair_email=force["bob"][0].email)
    assert changed.status_code == 200 and "Find the chair" in changed.text
    assert panels() == before
