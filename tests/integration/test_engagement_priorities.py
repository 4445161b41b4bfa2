"""Engagement against the real stack: a ward panel made through membership's API, its officers
learnt from membership's events; the chair sets priorities, police record actions, the panel
accepts one and marks one not delivered, publishes, and the ward's public page shows exactly
that. A plain member is refused (403), another force sees nothing (404), bad input changes
nothing, every event reaches audit, and the tables rebuilt from the store equal the live ones."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp_engagement.adapters.read_models import TABLES, rebuild_tables
from tests.integration.documents_world import Account, found_group, join_group, make_accounts
from tests.integration.membership_people import wait_for_account

pytestmark = pytest.mark.integration
WARD, PERIOD = "E05000138", "2027-Q1"


def _client(stack: Any, service: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=60)


def _wait(check: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"never happened: {what}")


def _roles_in_engagement(stack: Any, group_id: str, account_id: str) -> set[str]:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        rows = conn.execute(
            "SELECT role FROM group_roles WHERE group_id = %s AND account_id = %s",
            (group_id, account_id),
        ).fetchall()
    return {r[0] for r in rows}


def _event_count(stack: Any) -> int:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        row = conn.execute("SELECT count(*) FROM events").fetchone()
    return int(row[0]) if row else 0


def _tables(stack: Any) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        return {
            table: sorted(
                conn.execute(f"SELECT * FROM {table}").fetchall(),
                key=repr,
            )
            for table in TABLES
        }


@pytest.fixture(scope="module")
def world(stack: Any) -> Iterator[dict[str, Any]]:
    """Force A: a ward panel (chair, a plain member), a police officer, a community group the
    chair also leads; force B: a police officer and a member."""
    tenant, other = f"force-{uuid.uuid4().hex[:6]}", f"force-{uuid.uuid4().hex[:6]}"
    people = make_accounts(
        stack, tenant, [("chair", "member"), ("plain", "member"), ("police", "police")]
    )
    people |= {
        f"b_{k}": v
        for k, v in make_accounts(stack, other, [("police", "police"), ("chair", "member")]).items()
    }
    chair, plain, police = people["chair"], people["plain"], people["police"]
    with _client(stack, "membership") as membership:
        wait_for_account(stack, chair.account_id)
        body = {
            "group_type": "ward_panel",
            "name": f"Bloomsbury Ward Panel {uuid.uuid4().hex[:4]}",
            "ward_code": WARD,
            "ward_name": "Bloomsbury",
            "first_chair": chair.account_id,
        }
        made = membership.post("/groups", json=body, headers=police.headers)
        assert made.status_code == 201, made.text
        panel = str(made.json()["group_id"])
        join_group(membership, panel, plain, chair)
        community = found_group(membership, chair)
    _wait(lambda: "chair" in _roles_in_engagement(stack, panel, chair.account_id), "chair")
    _wait(lambda: "member" in _roles_in_engagement(stack, panel, plain.account_id), "member")
    _wait(lambda: "chair" in _roles_in_engagement(stack, community, chair.account_id), "group")
    with _client(stack, "engagement") as api:
        yield {
            "tenant": tenant,
            "other": other,
            "panel": panel,
            "community": community,
            "api": api,
            **people,
        }


def _set(api: httpx.Client, who: Account, group: str, **fields: Any) -> httpx.Response:
    body = {"title": "A priority", "description": "", "category": "asb", **fields}
    return api.post(f"/panels/{group}/periods/{PERIOD}/priorities", json=body, headers=who.headers)


def test_the_panel_sets_police_act_the_panel_reviews_and_the_ward_page_shows_it(
    stack: Any, world: dict[str, Any]
) -> None:
    api, panel, tenant = world["api"], world["panel"], world["tenant"]
    chair, plain, police = world["chair"], world["plain"], world["police"]
    public = f"/public/{tenant}/wards/{WARD}/priorities"
    assert api.get(public).json() == {"tenant": tenant, "ward_code": WARD, "plans": []}

    drugs = _set(
        api,
        chair,
        panel,
        title="Drug dealing near the station",
        category="drugs",
        description="Evenings, by the north entrance.",
    )
    assert drugs.status_code == 201, drugs.text
    speeding = _set(api, chair, panel, title="Speeding on Elm Road", category="road_safety")
    dropped = _set(api, chair, panel, title="To be retired", category="other")
    ids = [r.json()["priority_id"] for r in (drugs, speeding, dropped)]
    # A plain member of the panel may read the plan but never set it (403, not 404).
    refused = _set(api, plain, panel, title="Mine")
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert api.get(f"/panels/{panel}/periods/{PERIOD}", headers=plain.headers).status_code == 200
    assert api.delete(f"/priorities/{ids[2]}", headers=chair.headers).status_code == 204
    order = {"priority_ids": [ids[1], ids[0]]}
    reordered = api.put(
        f"/panels/{panel}/periods/{PERIOD}/order", json=order, headers=chair.headers
    )
    assert reordered.status_code == 204, reordered.text

    def act(priority_id: str, description: str, status: str, outcome: str) -> str:
        body = {
            "description": description,
            "done_on": "2027-02-14",
            "status": status,
            "outcome": outcome,
        }
        made = api.post(f"/priorities/{priority_id}/actions", json=body, headers=police.headers)
        assert made.status_code == 201, made.text
        return str(made.json()["action_id"])

    patrols = act(ids[0], "Evening patrols at the station", "done", "Two arrests; fewer reports")
    cameras = act(ids[1], "Speed camera van on Elm Road", "planned", "")
    # The recording agency edits its action: every change is an event.
    edit = {
        "description": "Speed camera van on Elm Road",
        "done_on": "2027-03-01",
        "status": "not_possible",
        "outcome": "The van was not available",
    }
    assert api.put(f"/actions/{cameras}", json=edit, headers=police.headers).status_code == 204
    assert api.put(f"/actions/{cameras}", json=edit, headers=chair.headers).status_code == 403

    def review(action_id: str, verdict: str, comment: str, who: Account = chair) -> int:
        body = {"verdict": verdict, "comment": comment}
        answer = api.put(f"/actions/{action_id}/review", json=body, headers=who.headers)
        return int(answer.status_code)

    assert review(patrols, "accepted", "Thank you") == 204
    assert review(cameras, "not_delivered", "Ask again next quarter") == 204
    assert review(cameras, "accepted", "", who=plain) == 403
    assert review(cameras, "accepted", "", who=police) == 404  # staff never run the panel
    assert api.get(public).json()["plans"] == []  # nothing shows before the panel publishes
    published = api.post(f"/panels/{panel}/periods/{PERIOD}/publish", headers=chair.headers)
    assert published.status_code == 204, published.text

    page = api.get(public)
    assert page.status_code == 200
    (plan,) = page.json()["plans"]
    assert plan["period"] == PERIOD and plan["published_at"]
    assert [
        (
            p["title"],
            p["category"],
            p["position"],
            [
                (a["agency"], a["description"], a["status"], a["outcome"], a["review"])
                for a in p["actions"]
            ],
        )
        for p in plan["priorities"]
    ] == [
        (
            "Speeding on Elm Road",
            "road_safety",
            1,
            [
                (
                    "police",
                    "Speed camera van on Elm Road",
                    "not_possible",
                    "The van was not available",
                    {"verdict": "not_delivered", "comment": "Ask again next quarter"},
                )
            ],
        ),
        (
            "Drug dealing near the station",
            "drugs",
            2,
            [
                (
                    "police",
                    "Evening patrols at the station",
                    "done",
                    "Two arrests; fewer reports",
                    {"verdict": "accepted", "comment": "Thank you"},
                )
            ],
        ),
    ]
    # Never a member's (or officer's) account, nor the panel's name or id.
    for account in (chair, plain, police):
        assert account.account_id not in page.text
    assert panel not in page.text and "Ward Panel" not in page.text

    # Every engagement event lands in the force's audit log.
    with psycopg.connect(stack.service_database_url("audit")) as conn:

        def logged() -> int:
            row = conn.execute(
                "SELECT count(*) FROM audit_entries WHERE tenant = %s AND service = 'engagement'",
                (tenant,),
            ).fetchone()
            conn.rollback()
            return int(row[0]) if row else 0

        _wait(lambda: logged() >= 11, "engagement's events in the audit log")


def test_another_force_gets_404_on_everything(world: dict[str, Any]) -> None:
    api, panel, tenant = world["api"], world["panel"], world["tenant"]
    b_police, b_chair, chair = world["b_police"], world["b_chair"], world["chair"]
    made = _set(api, chair, panel, title="Burglaries on Gower Street", category="burglary")
    priority = made.json()["priority_id"]
    body = {"description": "x", "done_on": "2027-01-10", "status": "planned", "outcome": ""}
    answers = [
        api.get(f"/panels/{panel}/periods/{PERIOD}", headers=b_police.headers),
        api.post(f"/priorities/{priority}/actions", json=body, headers=b_police.headers),
        _set(api, b_chair, panel),
        api.put(
            f"/priorities/{priority}",
            json={"title": "x", "category": "asb"},
            headers=b_chair.headers,
        ),
        api.post(f"/panels/{panel}/periods/{PERIOD}/publish", headers=b_chair.headers),
        api.get(f"/public/{world['other']}/wards/{WARD}/priorities"),
    ]
    for answer in answers:
        assert answer.status_code == 404, answer.text
    assert api.get(f"/public/{tenant}/wards/E05999999/priorities").status_code == 404


def test_bad_input_is_a_clear_4xx_and_changes_nothing(stack: Any, world: dict[str, Any]) -> None:
    api, panel, chair, police = world["api"], world["panel"], world["chair"], world["police"]
    made = _set(api, chair, panel, title="Vehicle crime", category="vehicle_crime")
    priority = made.json()["priority_id"]
    before, tables = _event_count(stack), _tables(stack)
    action = {"description": "x", "done_on": "2027-01-10", "status": "planned", "outcome": ""}
    answers = {
        "100 kB of text": _set(api, chair, panel, description="x" * 100_000),
        "unknown category": _set(api, chair, panel, category="littering"),
        "unknown group": _set(api, chair, str(uuid.uuid4())),
        "not a ward panel": _set(api, chair, world["community"]),
        "not a quarter": api.post(
            f"/panels/{panel}/periods/2027-Q5/priorities",
            json={"title": "t", "category": "asb"},
            headers=chair.headers,
        ),
        "unknown status": api.post(
            f"/priorities/{priority}/actions",
            json={**action, "status": "maybe"},
            headers=police.headers,
        ),
        "100 kB outcome": api.post(
            f"/priorities/{priority}/actions",
            json={**action, "outcome": "x" * 100_000},
            headers=police.headers,
        ),
        "unknown priority": api.post(
            f"/priorities/{uuid.uuid4()}/actions", json=action, headers=police.headers
        ),
        "order missing one": api.put(
            f"/panels/{panel}/periods/{PERIOD}/order",
            json={"priority_ids": [priority]},
            headers=chair.headers,
        ),
    }
    expected = {
        "unknown group": 404,
        "unknown priority": 404,
        "order missing one": 409,
        "not a ward panel": 422,
    }
    for what, answer in answers.items():
        assert answer.status_code == expected.get(what, 422), (what, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json"), what
    assert "not one" in answers["not a ward panel"].json()["detail"]
    assert _event_count(stack) == before and _tables(stack) == tables


def test_the_tables_rebuilt_from_the_event_store_equal_the_live_ones(
    stack: Any, world: dict[str, Any]
) -> None:
    api, panel, chair = world["api"], world["panel"], world["chair"]
    assert _set(api, chair, panel, title="One more", category="other").status_code == 201
    live, events = _tables(stack), _event_count(stack)
    assert live["priorities"] and live["actions"] and live["plans"]
    with ConnectionPool(stack.service_database_url("engagement"), min_size=1, max_size=2) as pool:
        assert rebuild_tables(pool) == events
    assert _tables(stack) == live
    assert _event_count(stack) == events  # a rebuild records nothing
