"""Issue 16 against the real stack: a hidden ward panel publishes its priorities and holds a
meeting, and the ward's public page, the public event lists, the iCalendar feed and a
partner's views never contain the panel's name (DESIGN invariant 5), while its officers still
see it. A meeting typed with the panel's name while it was public is shown by its ward once the
panel is hidden; typing the name after that is a 422 that records nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest

from tests.integration.documents_world import make_accounts
from tests.integration.membership_people import wait_for_account
from tests.integration.messaging_helpers import wait_until

pytestmark = pytest.mark.integration
WARD, WARD_NAME = "E05000151", "Fitzrovia"
LABEL = "The ward panel for Fitzrovia"
LONDON = ZoneInfo("Europe/London")


def _client(stack: Any, service: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=60)


def _one(stack: Any, sql: str, *args: Any) -> Any:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        row = conn.execute(sql, args).fetchone()
    return None if row is None else row[0]


def _meeting(name_typed: str, days: int) -> dict[str, Any]:
    start = (datetime.now(UTC) + timedelta(days=days)).astimezone(LONDON).replace(tzinfo=None)
    return {
        "kind": "panel_meeting",
        "title": f"{name_typed} quarterly meeting",
        "description": "Residents are welcome.",
        "ward_codes": [],
        "starts_at": start.isoformat(timespec="minutes"),
        "ends_at": (start + timedelta(hours=2)).isoformat(timespec="minutes"),
        "place": {"text": "Fitzrovia Community Centre"},
        "organising_agency": name_typed,
        "contact_role": "Panel chair",
    }


@pytest.fixture(scope="module")
def world(stack: Any) -> Iterator[dict[str, Any]]:
    """A force with a ward panel (public at first) chaired by a resident, its police and a
    partner; the chair schedules a meeting naming the panel, then hides the panel."""
    tenant = f"force-{uuid.uuid4().hex[:6]}"
    people = make_accounts(
        stack, tenant, [("chair", "member"), ("police", "police"), ("council", "partner")]
    )
    chair, police = people["chair"], people["police"]
    name = f"Charlotte Street Panel {uuid.uuid4().hex[:4]}"
    with _client(stack, "membership") as membership, _client(stack, "engagement") as api:
        wait_for_account(stack, chair.account_id)
        body = {
            "group_type": "ward_panel",
            "name": name,
            "ward_code": WARD,
            "ward_name": WARD_NAME,
            "visibility": "public",
            "first_chair": chair.account_id,
        }
        made = membership.post("/groups", json=body, headers=police.headers)
        assert made.status_code == 201, made.text
        panel = str(made.json()["group_id"])
        sql = "SELECT count(*) FROM group_roles WHERE group_id = %s AND role = 'chair'"
        wait_until(lambda: _one(stack, sql, panel) == 1, what="engagement learning the chair")
        # While the panel is public it may name itself.
        early = api.post(
            "/events", json={**_meeting(name, 20), "group_id": panel}, headers=chair.headers
        )
        assert early.status_code == 201, early.text
        hidden = membership.patch(
            f"/groups/{panel}", json={"visibility": "hidden"}, headers=chair.headers
        )
        assert hidden.status_code == 200, hidden.text
        sql = "SELECT visibility FROM groups WHERE group_id = %s"
        wait_until(lambda: _one(stack, sql, panel) == "hidden", what="engagement learning it")
        yield {
            "api": api,
            "membership": membership,
            "tenant": tenant,
            "panel": panel,
            "name": name,
            "early": str(early.json()["event_id"]),
            **people,
        }


def _events_of(stack: Any, panel: str) -> int:
    return int(_one(stack, "SELECT count(*) FROM engagement_events WHERE group_id = %s", panel))


def test_a_hidden_panels_officer_typing_its_name_is_refused_and_nothing_is_recorded(
    stack: Any, world: dict[str, Any]
) -> None:
    api, chair, panel, name = world["api"], world["chair"], world["panel"], world["name"]
    before = _events_of(stack, panel)
    for typed in (name, name.upper(), "  ".join(name.lower().split())):
        body = {**_meeting(typed, 30), "group_id": panel}
        refused = api.post("/events", json=body, headers=chair.headers)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert LABEL in refused.json()["detail"]
    assert _events_of(stack, panel) == before
    body = {**_meeting(LABEL, 30), "group_id": panel}
    made = api.post("/events", json=body, headers=chair.headers)
    assert made.status_code == 201, made.text
    assert _events_of(stack, panel) == before + 1


def test_the_public_the_feed_and_partners_never_see_a_hidden_panels_name(
    stack: Any, world: dict[str, Any]
) -> None:
    api, chair, panel, tenant = world["api"], world["chair"], world["panel"], world["tenant"]
    name = world["name"].lower()
    period = "2027-Q2"
    made = api.post(
        f"/panels/{panel}/periods/{period}/priorities",
        json={"title": "Cycle theft on Charlotte Street", "category": "other"},
        headers=chair.headers,
    )
    assert made.status_code == 201, made.text
    published = api.post(f"/panels/{panel}/periods/{period}/publish", headers=chair.headers)
    assert published.status_code == 204, published.text

    page = api.get(f"/public/{tenant}/wards/{WARD}/priorities")
    assert page.status_code == 200, page.text
    assert "Cycle theft on Charlotte Street" in page.text
    ward_events = api.get(f"/public/{tenant}/wards/{WARD}/events")
    force_events = api.get(f"/public/{tenant}/events")
    feed = api.get(f"/public/{tenant}/wards/{WARD}/events.ics")
    partner = world["council"].headers
    event_page = api.get(f"/events/{world['early']}", headers=partner)
    plan = api.get(f"/panels/{panel}/periods/{period}", headers=partner)
    for answer in (page, ward_events, force_events, feed, event_page, plan):
        assert answer.status_code == 200, answer.text
        assert name not in answer.text.lower(), answer.request.url
    for answer in (page, ward_events, force_events, feed, event_page):
        assert panel not in answer.text, answer.request.url  # the partner's plan is asked by id
    [early] = [e for e in ward_events.json()["events"] if e["event_id"] == world["early"]]
    assert early["organising_agency"] == LABEL
    assert early["title"] == f"{LABEL} quarterly meeting"
    assert event_page.json()["organising_agency"] == LABEL
    assert f"Organised by {LABEL}" in feed.text.replace("\r\n ", "")
    assert plan.json()["ward_code"] == WARD

    # Its officers still see the name: in their own events list and in membership.
    mine = api.get("/events", params={"mine": "true"}, headers=chair.headers)
    assert mine.status_code == 200, mine.text
    [own] = [e for e in mine.json()["events"] if e["event_id"] == world["early"]]
    assert own["organising_agency"] == world["name"]
    group = world["membership"].get(f"/groups/{panel}", headers=chair.headers)
    assert group.status_code == 200, group.text
    assert group.json()["name"] == world["name"]
