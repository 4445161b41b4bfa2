"""The ward-priority pages over faked services (httpx's MockTransport): a panel officer's page
with its forms and a member's without, the forms' errors that ask nothing of engagement, a move
sent as the whole new order, engagement's refusals on the fields, a partner's plan with agency
names and the change link only on its own agency's action, and the public ward page. The
quarters and the order's moves as pure functions. The real stack:
tests/integration/test_portal_engagement.py."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from snp_platform.keywrap import generate_config
from snp_platform.testing import unopened_pool
from snp_portal.adapters.api import Apis
from snp_portal.adapters.forces import ForceNames
from snp_portal.domain import periods, ward_priorities
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.app import build_app
from snp_portal.settings import PortalSettings

ME, PANEL = "acct-chair", "0b6f9d5e-4c39-4a57-9a4c-1f2e3d4c5b6a"
NOW = datetime.now(UTC)
PLAN = f"/engagement/panels/{PANEL}/periods/2027-Q1"
Handler = Callable[[httpx.Request], httpx.Response | None]


def token(kind: str) -> str:
    claims = {"sub": ME, "kind": kind, "tenant": "met", "amr": ["pwd", "otp"]}
    return jwt.encode(claims, "k" * 32, algorithm="HS256")


class SignedInPortal:
    def __init__(self, kind: str) -> None:
        self.token = token(kind)
        self.session = Session("s1", "csrf-1", NOW, NOW, self.token, "refresh", NOW, "met")

    def current(self, _cookie: str | None) -> Session:
        return self.session

    def access_token(self, _session: Session) -> str:
        return self.token


def action(agency: str, **fields: Any) -> dict[str, Any]:
    return {
        "action_id": f"act-{agency}",
        "agency": agency,
        "description": f"Patrols by {agency}",
        "done_on": "2027-02-10",
        "status": "done",
        "outcome": "Fewer reports",
        "review": None,
        "recorded_by": "someone",
        **fields,
    }


def plan() -> dict[str, Any]:
    return {
        "group_id": PANEL,
        "period": "2027-Q1",
        "published_at": None,
        "priorities": [
            {
                "priority_id": "p1",
                "title": "Drug dealing in Elm Park",
                "description": "",
                "category": "drugs",
                "position": 0,
                "actions": [action("police"), action("ag-1", status="in_progress")],
            },
            {
                "priority_id": "p2",
                "title": "Speeding on Mill Lane",
                "description": "Near the school",
                "category": "road_safety",
                "position": 1,
                "actions": [],
            },
        ],
    }


def services(request: httpx.Request, officer: bool) -> httpx.Response | None:
    path = request.url.path
    if path == f"/membership/groups/{PANEL}":
        group = {"group_id": PANEL, "name": "Elm Ward Panel", "group_type": "ward_panel"}
        return httpx.Response(
            200, json={**group, "tenant": "met", "ward_code": "E05000138", "ward_name": "Elm"}
        )
    if path == "/membership/me/groups":
        roles = ["member", "chair"] if officer else ["member"]
        mine = {"account_id": ME, "groups": [{"group_id": PANEL, "roles": roles}]}
        return httpx.Response(200, json={**mine, "join_requests": []})
    if path == f"/membership/groups/{PANEL}/officers":
        return httpx.Response(200, json={"officers": []})
    if path == PLAN and request.method == "GET":
        return httpx.Response(200, json=plan())
    if path == "/identity/me":
        return httpx.Response(200, json={"agency_id": "ag-1"})
    if path == "/identity/agencies":
        return httpx.Response(200, json={"agencies": [{"agency_id": "ag-1", "name": "Elm ASB"}]})
    if path.startswith("/identity/public/tenants/"):
        return httpx.Response(200, json={"slug": "met", "display_name": "Met Police"})
    return None


@pytest.fixture
def calls() -> list[httpx.Request]:
    return []


def client(
    calls: list[httpx.Request],
    kind: str = "member",
    officer: bool = True,
    answer: Handler | None = None,
) -> TestClient:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        found = (answer(request) if answer else None) or services(request, officer)
        return found or httpx.Response(404, json={"type": "urn:snp:problem:not-found"})

    app = build_app(
        PortalSettings(cookie_secure=False, portal_session_keys=SecretStr(generate_config())),
        unopened_pool(),
    )
    app.state.portal = SignedInPortal(kind)
    app.state.apis = Apis.from_urls(
        "http://i", "http://m", "http://d", "http://g", httpx.MockTransport(handler)
    )
    app.state.force_names = ForceNames(app.state.apis.identity)
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def sent_to_engagement(calls: list[httpx.Request]) -> list[tuple[str, str]]:
    return [
        (c.method, c.url.path)
        for c in calls
        if c.url.path.startswith("/engagement") and c.method != "GET"
    ]


def test_an_officer_sees_the_plan_in_order_with_its_forms(calls: list[httpx.Request]) -> None:
    page = client(calls).get(f"/groups/{PANEL}/priorities?period=2027-Q1")
    assert page.status_code == 200, page.text
    text = page.text
    assert text.index("1. Drug dealing in Elm Park") < text.index("2. Speeding on Mill Lane")
    assert "January to March 2027" in text and "Not published" in text
    assert "?period=2026-Q4" in text and "?period=2027-Q2" in text
    assert "Add the priority" in text and "Move down" in text and "Review" in text
    # Members never learn partner agencies' names (identity does not tell them).
    assert "A partner agency" in text and "Elm ASB" not in text
    assert re.search(r">\s*Police\s*<", text)


def test_a_member_sees_the_plan_without_forms(calls: list[httpx.Request]) -> None:
    page = client(calls, officer=False).get(f"/groups/{PANEL}/priorities?period=2027-Q1")
    assert page.status_code == 200
    assert "Drug dealing in Elm Park" in page.text
    assert "Add the priority" not in page.text and "Move down" not in page.text


def test_an_empty_title_is_an_error_and_engagement_is_not_asked(
    calls: list[httpx.Request],
) -> None:
    answer = client(calls).post(
        f"/groups/{PANEL}/priorities?period=2027-Q1",
        data={"csrf_token": "csrf-1", "title": " ", "category": "nonsense"},
    )
    assert answer.status_code == 400
    assert "There is a problem" in answer.text
    assert 'href="#title"' in answer.text and "Enter the priority&#39;s title" in answer.text
    assert "Select the kind of problem" in answer.text
    assert sent_to_engagement(calls) == []


def test_a_move_sends_the_whole_new_order(calls: list[httpx.Request]) -> None:
    def reorder(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(204) if request.url.path == f"{PLAN}/order" else None

    answer = client(calls, answer=reorder).post(
        f"/groups/{PANEL}/priorities/p2/move?period=2027-Q1",
        data={"csrf_token": "csrf-1", "direction": "up"},
    )
    assert answer.status_code == 303
    [sent] = [c for c in calls if c.url.path == f"{PLAN}/order"]
    assert json.loads(sent.content) == {"priority_ids": ["p2", "p1"]}


def test_engagements_refusal_of_a_review_is_on_the_form(calls: list[httpx.Request]) -> None:
    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/engagement/actions/act-police/review":
            problem = {"type": "urn:snp:problem:forbidden", "title": "Forbidden", "status": 403}
            return httpx.Response(403, json=problem)
        return None

    answer = client(calls, answer=refuse).post(
        f"/groups/{PANEL}/actions/act-police/review?period=2027-Q1",
        data={"csrf_token": "csrf-1", "verdict": "accepted", "comment": "kept out"},
    )
    assert answer.status_code == 403
    assert "There is a problem" in answer.text and "The service refused it" in answer.text
    [sent] = [c for c in calls if c.method == "PUT"]
    assert json.loads(sent.content) == {"verdict": "accepted", "comment": ""}


def test_not_delivered_needs_a_comment(calls: list[httpx.Request]) -> None:
    answer = client(calls).post(
        f"/groups/{PANEL}/actions/act-police/review?period=2027-Q1",
        data={"csrf_token": "csrf-1", "verdict": "not_delivered", "comment": ""},
    )
    assert answer.status_code == 400
    assert "Say why the action was not delivered" in answer.text
    assert sent_to_engagement(calls) == []


def test_a_partner_sees_agency_names_and_changes_only_its_own(
    calls: list[httpx.Request],
) -> None:
    page = client(calls, kind="partner").get(f"/ward-plans/{PANEL}?period=2027-Q1")
    assert page.status_code == 200, page.text
    assert "Elm ASB" in page.text and re.search(r">\s*Police\s*<", page.text)
    edits = re.findall(r'href="(/ward-plans/[^"]+/edit[^"]*)"', page.text)
    assert edits == [f"/ward-plans/{PANEL}/actions/act-ag-1/edit?period=2027-Q1"]


def test_a_partner_sees_a_hidden_panel_by_its_ward_never_its_name(
    calls: list[httpx.Request],
) -> None:
    # The public page of a hidden panel is a 404; engagement's plan says its ward's code.
    def hidden(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == PLAN:
            return httpx.Response(200, json={**plan(), "ward_code": "E05000900"})
        if request.url.path == f"/membership/public/met/groups/{PANEL}":
            return httpx.Response(404, json={"type": "urn:snp:problem:not-found"})
        return None

    page = client(calls, kind="partner", answer=hidden).get(f"/ward-plans/{PANEL}?period=2027-Q1")
    assert page.status_code == 200, page.text
    assert "The ward panel in E05000900" in page.text
    assert "Elm Ward Panel" not in page.text
    assert not [c for c in calls if c.url.path == f"/membership/groups/{PANEL}"]


def test_a_bad_date_is_an_error_and_nothing_is_recorded(calls: list[httpx.Request]) -> None:
    answer = client(calls, kind="police").post(
        f"/ward-plans/{PANEL}/priorities/p1/actions/new?period=2027-Q1",
        data={"csrf_token": "csrf-1", "description": "Patrols", "status": "done", "day": "31"},
    )
    assert answer.status_code == 400
    assert "Enter the date as a real date" in answer.text
    assert sent_to_engagement(calls) == []


def test_a_member_is_kept_out_of_the_agency_pages(calls: list[httpx.Request]) -> None:
    assert client(calls).get(f"/ward-plans/{PANEL}").status_code == 403
    assert [c for c in calls if c.url.path.startswith("/engagement")] == []


def test_the_public_ward_page_shows_published_periods(calls: list[httpx.Request]) -> None:
    def public(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/engagement/public/met/wards/E05000138/priorities":
            published = {**plan(), "published_at": "2027-01-05T10:00:00+00:00"}
            del published["group_id"]
            return httpx.Response(200, json={"plans": [published]})
        if request.url.path == "/membership/public/met/groups":
            return httpx.Response(200, json={"groups": []})
        return None

    page = client(calls, answer=public).get("/public/met/wards/E05000138")
    assert page.status_code == 200, page.text
    assert "January to March 2027" in page.text and "Drug dealing in Elm Park" in page.text
    assert "someone" not in page.text  # never who recorded an action
    assert client(calls).get("/public/met/wards/not-a-ward!").status_code == 404


def test_quarters_and_moves() -> None:
    q = periods.quarter_of(date(2027, 1, 31))
    assert (q.code, q.words) == ("2027-Q1", "January to March 2027")
    assert q.previous() == periods.Quarter(2026, 4)
    assert periods.Quarter(2026, 4).next() == q
    assert periods.parse("2027-Q5") is None and periods.parse("2027-Q2") == periods.Quarter(2027, 2)
    assert ward_priorities.moved(["a", "b", "c"], "c", "up") == ["a", "c", "b"]
    assert ward_priorities.moved(["a", "b"], "a", "up") is None
    assert ward_priorities.action_date({"day": "29", "month": "2", "year": "2027"}) == ""
