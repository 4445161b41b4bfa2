"""The members' vote against the real stack: a ward panel's members propose candidate priorities
and vote, one vote each (a new one moves it); only the officers see the counts, close the vote
and adopt the winners, and the panel's priorities are then exactly those, in the order adopted.
Police, outsiders and another force get nothing (404), a plain member cannot count or close
(403), votes after the close and bad input change nothing, and the counts never name a voter."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from tests.integration.documents_world import Account, join_group, make_accounts
from tests.integration.membership_people import wait_for_account

pytestmark = pytest.mark.integration
WARD, PERIOD = "E05000139", "2027-Q2"
MEMBERS = ("m1", "m2", "m3")


def _client(stack: Any, service: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=60)


def _holds_role(stack: Any, group_id: str, account_id: str) -> bool:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        row = conn.execute(
            "SELECT 1 FROM group_roles WHERE group_id = %s AND account_id = %s",
            (group_id, account_id),
        ).fetchone()
    return row is not None


def _wait_for_role(stack: Any, group_id: str, account_id: str) -> None:
    deadline = time.monotonic() + 60
    while not _holds_role(stack, group_id, account_id):
        assert time.monotonic() < deadline, "engagement never learnt the panel's roles"
        time.sleep(0.3)


def _events(stack: Any, prefix: str) -> list[str]:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        rows = conn.execute(
            "SELECT event_type FROM events WHERE stream_id LIKE %s ORDER BY position",
            (prefix + "%",),
        ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture(scope="module")
def world(stack: Any) -> Iterator[dict[str, Any]]:
    """Force A: a ward panel with its chair and three members, police, an outsider; force B:
    a member."""
    tenant, other = f"force-{uuid.uuid4().hex[:6]}", f"force-{uuid.uuid4().hex[:6]}"
    kinds = [("chair", "member"), *((m, "member") for m in MEMBERS)]
    people = make_accounts(stack, tenant, [*kinds, ("outsider", "member"), ("police", "police")])
    people["b_member"] = make_accounts(stack, other, [("member", "member")])["member"]
    chair = people["chair"]
    with _client(stack, "membership") as membership:
        wait_for_account(stack, chair.account_id)
        body = {
            "group_type": "ward_panel",
            "name": f"Holborn Ward Panel {uuid.uuid4().hex[:4]}",
            "ward_code": WARD,
            "ward_name": "Holborn and Covent Garden",
            "first_chair": chair.account_id,
        }
        made = membership.post("/groups", json=body, headers=people["police"].headers)
        assert made.status_code == 201, made.text
        panel = str(made.json()["group_id"])
        for member in MEMBERS:
            join_group(membership, panel, people[member], chair)
    for who in ("chair", *MEMBERS):
        _wait_for_role(stack, panel, people[who].account_id)
    with _client(stack, "engagement") as api:
        yield {"panel": panel, "api": api, **people}


def _ballot(world: dict[str, Any], period: str = PERIOD) -> str:
    return f"/panels/{world['panel']}/periods/{period}/ballot"


def _propose(
    world: dict[str, Any], who: Account, title: str, period: str = PERIOD, **more: Any
) -> httpx.Response:
    body = {"title": title, "description": "", "category": "asb", **more}
    api: httpx.Client = world["api"]
    return api.post(_ballot(world, period) + "/candidates", json=body, headers=who.headers)


def _vote(
    world: dict[str, Any], who: Account, candidate: str, period: str = PERIOD
) -> httpx.Response:
    api: httpx.Client = world["api"]
    return api.put(
        _ballot(world, period) + "/vote", json={"candidate_id": candidate}, headers=who.headers
    )


def test_members_vote_and_the_panel_sets_its_priorities_from_the_vote(
    stack: Any, world: dict[str, Any]
) -> None:
    api, chair, m1, m2, m3 = (world[k] for k in ("api", "chair", *MEMBERS))
    made = [
        _propose(world, m1, "Drug dealing by the canal", category="drugs"),
        _propose(world, m2, "Speeding on Kingsway", category="road_safety"),
        _propose(world, chair, "Bike theft at the station", category="other"),
    ]
    assert [r.status_code for r in made] == [201, 201, 201], [r.text for r in made]
    drugs, speeding, bikes = (r.json()["candidate_id"] for r in made)
    # The same title again is refused: members are told to vote for it instead.
    again = _propose(world, m3, "drug dealing by the CANAL", category="drugs")
    assert again.status_code == 409 and "vote for it" in again.json()["detail"]

    votes = {m1: speeding, m2: speeding, m3: drugs, chair: drugs}
    assert all(_vote(world, who, c).status_code == 204 for who, c in votes.items())
    # m3 changes their mind: still one vote each.
    assert _vote(world, m3, speeding).status_code == 204
    assert _vote(world, m3, speeding).status_code == 204  # the same again records nothing
    assert len(_events(stack, f"vote:{world['panel']}:{PERIOD}:{m3.account_id}")) == 2

    # A member sees the candidates and their own vote, never the counts.
    seen = api.get(_ballot(world), headers=m3.headers)
    assert seen.status_code == 200, seen.text
    assert seen.json()["my_vote"] == speeding
    assert [c["title"] for c in seen.json()["candidates"]] == [
        "Drug dealing by the canal",
        "Speeding on Kingsway",
        "Bike theft at the station",
    ]
    assert all("votes" not in c for c in seen.json()["candidates"])
    assert api.get(_ballot(world) + "/results", headers=m3.headers).status_code == 403
    assert api.post(_ballot(world) + "/close", headers=m1.headers).status_code == 403

    results = api.get(_ballot(world) + "/results", headers=chair.headers)
    assert results.status_code == 200, results.text
    counts = {c["candidate_id"]: c["votes"] for c in results.json()["candidates"]}
    assert counts == {speeding: 3, drugs: 1, bikes: 0}
    assert results.json()["voters"] == 4
    assert chair.account_id not in results.text and m1.account_id not in results.text

    # Adopting before the vote closes is refused; the officers close it, then decide.
    early = api.post(_ballot(world) + f"/candidates/{speeding}/adopt", headers=chair.headers)
    assert early.status_code == 409
    assert api.post(_ballot(world) + "/close", headers=chair.headers).status_code == 204
    late = _vote(world, m1, drugs)
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    assert _propose(world, m1, "Too late").status_code == 409
    adopted = [
        api.post(_ballot(world) + f"/candidates/{c}/adopt", headers=chair.headers)
        for c in (speeding, drugs)
    ]
    assert [r.status_code for r in adopted] == [201, 201], [r.text for r in adopted]
    twice = api.post(_ballot(world) + f"/candidates/{speeding}/adopt", headers=chair.headers)
    assert twice.status_code == 409

    plan = api.get(f"/panels/{world['panel']}/periods/{PERIOD}", headers=m1.headers).json()
    assert [(p["title"], p["category"]) for p in plan["priorities"]] == [
        ("Speeding on Kingsway", "road_safety"),
        ("Drug dealing by the canal", "drugs"),
    ]
    after = api.get(_ballot(world) + "/results", headers=chair.headers).json()
    assert {c["candidate_id"]: c["adopted_priority_id"] for c in after["candidates"]} == {
        speeding: adopted[0].json()["priority_id"],
        drugs: adopted[1].json()["priority_id"],
        bikes: None,
    }
    assert counts == {c["candidate_id"]: c["votes"] for c in after["candidates"]}
    assert _events(stack, f"ballot:{world['panel']}:{PERIOD}") == [
        "engagement.CandidateProposed",
        "engagement.CandidateProposed",
        "engagement.CandidateProposed",
        "engagement.VotingClosed",
    ]


def test_nobody_outside_the_panel_sees_or_touches_the_ballot(world: dict[str, Any]) -> None:
    api = world["api"]
    for who in ("police", "outsider", "b_member"):
        headers = world[who].headers
        answers = [
            api.get(_ballot(world), headers=headers),
            api.get(_ballot(world) + "/results", headers=headers),
            _propose(world, world[who], f"From {who}"),
            api.post(_ballot(world) + "/close", headers=headers),
        ]
        assert [a.status_code for a in answers] == [404, 404, 404, 404], (who, answers)
    assert api.get(_ballot(world)).status_code == 401


def test_bad_input_is_refused_and_records_nothing(stack: Any, world: dict[str, Any]) -> None:
    api, m1, fresh = world["api"], world["m1"], "2027-Q3"
    before = _events(stack, "")
    refused = [
        _propose(world, m1, "", fresh),
        _propose(world, m1, "x" * 201, fresh),
        _propose(world, m1, "Noise", fresh, category="noise"),
        _propose(world, m1, "Flood", fresh, description="y" * 100_000),
        _propose(world, m1, "Extra", fresh, colour="red"),
        _vote(world, m1, "no-such-candidate", fresh),
        api.put(_ballot(world, fresh) + "/vote", json={}, headers=m1.headers),
        api.get(f"/panels/{world['panel']}/periods/2027-Q5/ballot", headers=m1.headers),
    ]
    assert [r.status_code for r in refused] == [422, 422, 422, 422, 422, 404, 422, 422]
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in refused)
    assert _events(stack, "") == before
    # Closing a ballot nobody proposed anything to is a conflict, not an empty vote.
    assert (
        api.post(_ballot(world, fresh) + "/close", headers=world["chair"].headers).status_code
        == 409
    )
