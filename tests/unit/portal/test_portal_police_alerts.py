"""The police alert pages rendered through the app with the services faked (httpx's
MockTransport) and a police session: the form's errors send nothing, the draft is held between
the form, the check page and the send (what is sent is what was checked, once), the list's
search goes to messaging, and the dashboard's chart equals its table. The real stack is in
tests/integration/test_portal_browser_police_alerts.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
from fastapi.testclient import TestClient
from pydantic import SecretStr

from snp_platform.keywrap import generate_config
from snp_platform.testing import unopened_pool
from snp_portal.adapters.api import Apis
from snp_portal.domain.alert_drafts import problem_errors, read_form
from snp_portal.domain.sessions import Session
from snp_portal.domain.timeline_chart import timeline_chart
from snp_portal.entrypoints.app import build_app
from snp_portal.settings import PortalSettings

TOKEN = jwt.encode(
    {"sub": "pc1", "tenant": "met", "kind": "police", "amr": ["pwd", "otp", "mfa"]},
    "k" * 32,
    algorithm="HS256",
)
NOW = datetime.now(UTC)
SESSION = Session("s1", "csrf-1", NOW, NOW, TOKEN, "refresh", NOW, "met")
GROUPS = [
    {"group_id": "g1", "name": "Elm Watch", "ward_code": "W01", "ward_name": "Holborn"},
    {"group_id": "g2", "name": "Oak Panel", "ward_code": "W02", "ward_name": "Camden"},
]
PREVIEW = {
    "subject": "Burglaries",
    "body": "Lock up. https://police.example/advice",
    "type": "alert",
    "priority": "high",
    "sender": {"name": "PC Jo Patel", "role": "police officer", "force": "Met"},
    "audience": {"type": "ward", "id": "W01"},
    "attachments": [],
    "email": {
        "subject": "[HIGH] Burglaries",
        "text": "Lock up.\n\nFrom PC Jo Patel.",
        "attachments": [],
    },
    "recipients": 3,
    "deliveries": 4,
}
STATUS: dict[str, Any] = {
    "id": "m1",
    "subject": "Burglaries",
    "body": "Lock up.",
    "type": "alert",
    "priority": "high",
    "sender": {"name": "PC Jo Patel", "role": "police officer", "force": "Met"},
    "audience": {"type": "ward", "id": "W01"},
    "link": None,
    "attachments": [],
    "sent_at": "2025-03-01T09:30:00+00:00",
    "deliveries": {"total": 3, "pending": 0, "queued": 0, "sent": 2, "failed": 0, "bounced": 1},
    "timeline": {
        "interval_seconds": 60,
        "buckets": [
            {"start": "2025-03-01T09:30:00+00:00", "sent": 1, "failed": 0, "bounced": 1},
            {"start": "2025-03-01T09:31:00+00:00", "sent": 1, "failed": 0, "bounced": 0},
        ],
    },
    "recipients_identified": False,
    "recipients_page": [
        {
            "delivery_id": "d1",
            "account_id": "acct-a",
            "channel": "email",
            "status": "sent",
            "attempts": 1,
            "reason": "",
            "updated_at": "2025-03-01T09:30:10+00:00",
        },
        {
            "delivery_id": "d2",
            "account_id": "acct-b",
            "channel": "email",
            "status": "bounced",
            "attempts": 1,
            "reason": "bounced",
            "updated_at": "2025-03-01T09:30:20+00:00",
        },
    ],
}


class HoldingPortal:
    def __init__(self) -> None:
        self.held_values: dict[str, Any] = {}

    def current(self, _cookie: str | None) -> Session:
        return SESSION

    def access_token(self, _session: Session) -> str:
        return TOKEN

    def hold(self, _session: Session, what: str, value: Any) -> None:
        self.held_values[what] = json.loads(json.dumps(value))

    def held(self, _session: Session, what: str) -> Any:
        return self.held_values.get(what)

    def take_held(self, _session: Session, what: str) -> Any:
        return self.held_values.pop(what, None)


def app_with(calls: list[httpx.Request]) -> tuple[TestClient, HoldingPortal]:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        path = request.url.path
        if path == "/membership/groups":
            return httpx.Response(200, json={"groups": GROUPS, "next_cursor": None})
        if path == "/membership/groups/g1":
            return httpx.Response(200, json=GROUPS[0])
        if path == "/messaging/previews":
            if json.loads(request.content)["subject"] == "bad":
                problem = {
                    "status": 422,
                    "title": "Invalid input",
                    "errors": [{"message": "unknown audience: no ward 'W09'"}],
                }
                return httpx.Response(
                    422, json=problem, headers={"content-type": "application/problem+json"}
                )
            return httpx.Response(200, json=PREVIEW)
        if path == "/messaging/attachments":
            assert b"Lock doors." in request.content
            stored = {
                "id": "att-1",
                "filename": "advice.txt",
                "content_type": "text/plain",
                "size": 12,
            }
            return httpx.Response(201, json=stored)
        if path == "/messaging/messages" and request.method == "POST":
            return httpx.Response(202, json={"id": "m1", "recipients": 3})
        if path == "/messaging/alerts":
            return httpx.Response(
                200,
                json={
                    "alerts": [{**STATUS, "recipients": 3}],
                    "next_cursor": "0190c0de-0000-7000-8000-000000000001",
                },
            )
        if path == "/messaging/messages/m1":
            return httpx.Response(200, json=STATUS)
        if path == "/messaging/messages/m1/feedback":
            return httpx.Response(200, json=FEEDBACK)
        raise AssertionError(f"unexpected {request.method} {request.url}")

    app = build_app(
        PortalSettings(cookie_secure=False, portal_session_keys=SecretStr(generate_config())),
        unopened_pool(),
    )
    holding = HoldingPortal()
    app.state.portal = holding
    app.state.apis = Apis.from_urls(
        "http://i", "http://m", "http://d", "http://g", httpx.MockTransport(handler)
    )
    return TestClient(app, base_url="http://testserver", follow_redirects=False), holding


FORM = {
    "csrf_token": "csrf-1",
    "audience": "ward",
    "ward_code": "W01",
    "group_id": "",
    "type": "alert",
    "priority": "high",
    "subject": "Burglaries",
    "body": "Lock up. https://police.example/advice",
}


def test_the_form_offers_the_force_s_wards_and_groups() -> None:
    page, _held = app_with([])
    answer = page.get("/police/alerts/new")
    assert answer.status_code == 200
    assert '<option value="W01">Holborn (W01)</option>' in answer.text
    assert '<option value="g2">Oak Panel</option>' in answer.text
    assert 'enctype="multipart/form-data"' in answer.text


def test_missing_fields_are_errors_and_nothing_is_asked_of_messaging() -> None:
    calls: list[httpx.Request] = []
    page, held = app_with(calls)
    answer = page.post("/police/alerts/new", data={**FORM, "subject": " ", "ward_code": ""})
    assert answer.status_code == 400
    assert "There is a problem" in answer.text
    assert 'href="#subject"' in answer.text and 'href="#ward_code"' in answer.text
    assert not [c for c in calls if c.url.path.startswith("/messaging")]
    assert held.held_values == {}


def test_messaging_s_problems_are_said_beside_the_fields_and_nothing_is_held() -> None:
    page, held = app_with([])
    answer = page.post("/police/alerts/new", data={**FORM, "subject": "bad"})
    assert answer.status_code == 422
    assert "Select a ward in the force" in answer.text
    assert held.held_values == {}


def test_the_checked_draft_is_what_is_sent_and_only_once() -> None:
    calls: list[httpx.Request] = []
    page, held = app_with(calls)
    answer = page.post("/police/alerts/new", data=FORM)
    assert (answer.status_code, answer.headers["location"]) == (303, "/police/alerts/check")
    assert held.held_values["alert_draft"]["audience_label"] == "Ward: Holborn (W01)"
    check = page.get("/police/alerts/check")
    assert check.status_code == 200
    assert "Check your alert" in check.text
    assert "Subject: [HIGH] Burglaries" in check.text
    assert '<a class="govuk-link" href="https://police.example/advice"' in check.text
    assert "3 members, 4 emails or text messages" in check.text
    sent = page.post("/police/alerts/check", data={"csrf_token": "csrf-1", "step": "send"})
    assert (sent.status_code, sent.headers["location"]) == (303, "/police/alerts/m1?done=sent")
    posted = [json.loads(c.content) for c in calls if c.url.path == "/messaging/messages"]
    assert posted == [
        {
            "subject": "Burglaries",
            "body": "Lock up. https://police.example/advice",
            "type": "alert",
            "priority": "high",
            "audience": {"type": "ward", "id": "W01"},
            "attachment_ids": [],
        }
    ]
    again = page.post("/police/alerts/check", data={"csrf_token": "csrf-1", "step": "send"})
    assert again.headers["location"] == "/police/alerts/new"
    assert len([c for c in calls if c.url.path == "/messaging/messages"]) == 1


def test_a_post_without_the_csrf_token_is_refused() -> None:
    page, held = app_with([])
    answer = page.post("/police/alerts/new", data={**FORM, "csrf_token": "forged"})
    assert answer.status_code == 403
    assert held.held_values == {}


def test_the_list_searches_through_messaging_and_pages_on() -> None:
    calls: list[httpx.Request] = []
    page, _held = app_with(calls)
    answer = page.get("/police/alerts", params={"q": "burg", "audience": "ward"})
    assert answer.status_code == 200
    asked = next(c for c in calls if c.url.path == "/messaging/alerts")
    assert (asked.url.params["q"], asked.url.params["audience"]) == ("burg", "ward")
    assert 'href="/police/alerts/m1"' in answer.text
    assert "cursor=0190c0de-0000-7000-8000-000000000001" in answer.text
    assert page.get("/police/alerts", params={"audience": "planet"}).status_code == 400


def test_the_dashboard_s_chart_equals_its_table_and_shows_no_names() -> None:
    page, _held = app_with([])
    answer = page.get("/police/alerts/m1")
    assert answer.status_code == 200
    chart = timeline_chart(STATUS["timeline"])
    assert chart.totals() == {"sent": 2, "failed": 0, "bounced": 1}
    assert answer.text.count('data-status="sent" data-count="1"') == 2
    assert answer.text.count('data-status="bounced" data-count="1"') == 1
    assert 'data-account="acct-b" data-status="bounced"' in answer.text
    assert "The address was refused" in answer.text
    assert "Name" not in answer.text.split('id="recipients"')[1].split("</thead>")[0]


FEEDBACK = {
    "id": "m1",
    "subject": "Burglaries",
    "recipients": 3,
    "ratings": {"useful": 2, "not_useful": 1, "comments": []},
    "poll": {
        "question": "Did you see anything?",
        "multiple": False,
        "answered": 2,
        "options": [
            {"choice": 0, "text": "Yes", "count": 1},
            {"choice": 1, "text": "No", "count": 1},
        ],
    },
}


def test_the_alert_s_page_shows_its_poll_results_and_ratings() -> None:
    page, _held = app_with([])
    answer = page.get("/police/alerts/m1")
    assert answer.status_code == 200
    chart = answer.text.split('id="poll-chart"')[1].split("</svg>")[0]
    assert chart.count('data-count="1"') == 2 and "Answers by option: Yes 1, No 1" in chart
    assert "2 of 3 people answered" in answer.text
    assert "2 found it useful, 1 did not." in answer.text


def test_form_reading_and_problem_words() -> None:
    draft = read_form({**FORM, "audience": "group", "group_id": ""})
    assert draft.errors == {"group_id": "Select the group"}
    assert problem_errors([("", "subject is longer than 200 characters")], "x") == {
        "subject": "The subject must be 200 characters or fewer"
    }
    assert problem_errors([], "Try again.") == {"subject": "Try again."}
    polled = read_form({**FORM, "poll_question": "Seen anything?", "poll_options": "Yes\nNo"})
    assert polled.errors == {}
    assert polled.message()["poll"] == {
        "question": "Seen anything?",
        "options": ["Yes", "No"],
        "multiple": False,
    }
    assert "poll" not in read_form(FORM).message()
    one = read_form({**FORM, "poll_question": "Seen anything?", "poll_options": "Yes"})
    assert set(one.errors) == {"poll_options"}
    assert problem_errors([("", "a poll option is listed twice")], "x") == {
        "poll_options": "Give each option once"
    }


def test_a_chosen_file_is_uploaded_once_checked_and_sent_with_the_alert() -> None:
    calls: list[httpx.Request] = []
    page, held = app_with(calls)
    answer = page.post(
        "/police/alerts/new",
        data=FORM,
        files={"attachment": ("advice.txt", b"Lock doors.\n", "text/plain")},
    )
    assert answer.status_code == 303
    assert held.held_values["alert_draft"]["attachment"]["id"] == "att-1"
    page.post("/police/alerts/check", data={"csrf_token": "csrf-1", "step": "send"})
    posted = [json.loads(c.content) for c in calls if c.url.path == "/messaging/messages"]
    assert [p["attachment_ids"] for p in posted] == [["att-1"]]


def test_an_alert_s_poll_is_checked_then_sent_with_it() -> None:
    calls: list[httpx.Request] = []
    page, _held = app_with(calls)
    poll = {
        "poll_question": "Seen anything?",
        "poll_options": "Yes\nNo",
        "poll_multiple": "multiple",
    }
    answer = page.post("/police/alerts/new", data={**FORM, **poll})
    assert answer.status_code == 303
    check = page.get(answer.headers["location"])
    assert 'id="poll-preview"' in check.text and "Seen anything?" in check.text
    page.post("/police/alerts/check", data={"csrf_token": "csrf-1", "step": "send"})
    [sent] = [json.loads(c.content) for c in calls if c.url.path == "/messaging/messages"]
    assert sent["poll"] == {
        "question": "Seen anything?",
        "options": ["Yes", "No"],
        "multiple": True,
    }
