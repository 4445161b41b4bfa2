"""My preferences, my contact details, a copy of my data and erasing my account, rendered
through the portal's app with the services' REST APIs stubbed (httpx's MockTransport) and the
sessions in memory: each page, each error state, what is sent to the services and what the
user is told."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from snp_platform.keywrap import generate_config
from snp_platform.testing import unopened_pool
from snp_portal.adapters.api import Apis
from snp_portal.adapters.identity import IdentityClient
from snp_portal.domain import sessions
from snp_portal.domain.dates import day
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.app import build_app
from snp_portal.entrypoints.routes_contact import delivery_problems
from snp_portal.service_layer.auth import Portal
from snp_portal.settings import PortalSettings

ME = {
    "account_id": "a1",
    "tenant": "met",
    "kind": "member",
    "display_name": "Alex Resident",
    "email": "alex@example.org",
    "phone": "",
    "totp_enrolled": False,
    "roles": [],
}
PREFS = {
    "channels": ["email"],
    "areas": ["W02"],
    "minimum_priority": "low",
    "delivery_problems": [],
    "wards": [{"code": "W01", "name": "Bloomsbury"}, {"code": "W02", "name": "Holborn"}],
}


class MemorySessions:
    """The session store's four calls over a dict."""

    def __init__(self) -> None:
        self.rows: dict[str, Session] = {}

    def get(self, session_id: str) -> Session | None:
        return self.rows.get(session_id)

    def put(self, session: Session) -> None:
        self.rows[session.session_id] = session

    def delete(self, session_id: str) -> None:
        self.rows.pop(session_id, None)

    def delete_idle_since(self, cutoff: datetime) -> int:
        return 0

    def drop_pending(self, session_id: str) -> None:
        """No sign-in waits for its code here."""


Answer = Callable[[httpx.Request], httpx.Response]


@dataclass
class Services:
    """The services' answers by (method, path); every request they were sent."""

    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    sent: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        answer = self.answers.get((request.method, request.url.path))
        if answer is None:
            return httpx.Response(404, json={"type": "urn:snp:problem:not-found", "title": "x"})
        return answer(request)

    def bodies(self, method: str, path: str) -> list[Any]:
        return [
            json.loads(r.content or b"null")
            for r in self.sent
            if (r.method, r.url.path) == (method, path)
        ]


def problem(status: int, slug: str, detail: str, errors: list[dict[str, Any]]) -> Answer:
    body = {"type": f"urn:snp:problem:{slug}", "title": "x", "detail": detail, "errors": errors}
    return lambda _r: httpx.Response(status, json=body)


@pytest.fixture
def services() -> Services:
    found = Services()
    found.answers.update(
        {
            ("GET", "/identity/me"): lambda _r: httpx.Response(200, json=ME),
            ("GET", "/messaging/preferences"): lambda _r: httpx.Response(200, json=PREFS),
            ("PUT", "/messaging/preferences"): lambda r: httpx.Response(200, content=r.content),
            ("PUT", "/identity/me/contact"): lambda _r: httpx.Response(204),
            ("DELETE", "/identity/accounts/a1"): lambda _r: httpx.Response(204),
            ("DELETE", "/identity/sessions/current"): lambda _r: httpx.Response(204),
        }
    )
    return found


@dataclass
class Browser:
    client: TestClient
    store: MemorySessions
    session: Session

    def form(self, path: str, data: dict[str, Any]) -> httpx.Response:
        sent: httpx.Response = self.client.post(
            path, data={"csrf_token": self.session.csrf_token, **data}
        )
        return sent


@pytest.fixture
def browser(services: Services) -> Iterator[Browser]:
    settings = PortalSettings(
        database_url="postgresql://unused",
        cookie_secure=False,
        portal_session_keys=SecretStr(generate_config()),
    )
    app = build_app(settings, unopened_pool())
    transport = httpx.MockTransport(services)
    store = MemorySessions()
    app.state.portal = Portal(
        store,  # type: ignore[arg-type]
        IdentityClient("http://identity.test", transport),
        timedelta(minutes=30),
        timedelta(hours=12),
    )
    app.state.apis = Apis.from_urls(
        "http://identity.test",
        "http://membership.test",
        "http://documents.test",
        "http://messaging.test",
        transport=transport,
    )
    now = datetime.now(UTC)
    session = replace(
        sessions.start(now),
        access_token="token-1",
        refresh_token="refresh-1",
        access_expires_at=now + timedelta(minutes=10),
        tenant="met",
    )
    store.put(session)
    with TestClient(app, base_url="http://portal.test", follow_redirects=False) as client:
        client.cookies.set(settings.cookie_name, session.session_id)
        yield Browser(client, store, session)


def text(page: httpx.Response) -> str:
    """The page's text, tags taken out and spaces squeezed, to assert on what users read."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))


def test_the_account_page_links_to_the_three_journeys(browser: Browser) -> None:
    page = browser.client.get("/account")
    for href in ("/account/contact", "/account/preferences", "/account/erase"):
        assert f'href="{href}"' in page.text


def test_preferences_show_what_messaging_holds(browser: Browser) -> None:
    page = browser.client.get("/account/preferences")
    assert page.status_code == 200
    assert "<title>Your message preferences" in page.text
    assert re.search(r'value="email"\s+checked', page.text)
    assert not re.search(r'value="sms"\s+checked', page.text)
    assert re.search(r'value="W02"\s+checked', page.text) and "Bloomsbury" in page.text
    assert re.search(r'value="low"\s+checked', page.text)
    assert "You have not given a mobile phone number" in text(page)  # ME has no phone


def test_saving_preferences_puts_them_then_redirects(browser: Browser, services: Services) -> None:
    done = browser.form(
        "/account/preferences",
        {"channels": ["email", "sms"], "areas": ["W01", "W02"], "minimum_priority": "high"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/account/preferences?saved=1"
    assert services.bodies("PUT", "/messaging/preferences") == [
        {"channels": ["email", "sms"], "areas": ["W01", "W02"], "minimum_priority": "high"}
    ]
    shown = browser.client.get(done.headers["location"])
    assert "Your message preferences have been saved." in text(shown)
    none_ticked = browser.form("/account/preferences", {"minimum_priority": "urgent"})
    assert none_ticked.status_code == 303  # no channel: the inbox only
    assert services.bodies("PUT", "/messaging/preferences")[-1]["channels"] == []


def test_bad_preferences_get_the_error_summary_and_change_nothing(
    browser: Browser, services: Services
) -> None:
    page = browser.form("/account/preferences", {"channels": ["pigeon"]})
    assert page.status_code == 400
    assert "<title>Error: Your message preferences" in page.text
    assert 'href="#channels"' in page.text and 'href="#minimum_priority"' in page.text
    assert "Select which messages you want sent to you" in text(page)
    assert services.bodies("PUT", "/messaging/preferences") == []
    services.answers[("PUT", "/messaging/preferences")] = problem(
        422, "invalid-input", "The request cannot be accepted.", [{"message": "unknown ward 'X'"}]
    )
    refused = browser.form("/account/preferences", {"areas": ["X"], "minimum_priority": "low"})
    assert refused.status_code == 422
    assert 'href="#areas"' in refused.text and "Choose only wards from the list" in text(refused)


def test_a_forged_post_without_the_csrf_token_is_refused(
    browser: Browser, services: Services
) -> None:
    for path in ("/account/preferences", "/account/contact", "/account/erase"):
        refused = browser.client.post(path, data={"confirm": "yes", "name": "x"})
        assert refused.status_code == 403
    assert [r.method for r in services.sent] == []


def test_contact_details_are_shown_and_changed(browser: Browser, services: Services) -> None:
    page = browser.client.get("/account/contact")
    assert 'value="Alex Resident"' in page.text and 'value="alex@example.org"' in page.text
    assert "Delivery problem" not in page.text
    done = browser.form(
        "/account/contact",
        {"name": " Alex Resident ", "email": "alex@new.example", "phone": "+44 7700 900123"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/account/contact?saved=1"
    assert services.bodies("PUT", "/identity/me/contact") == [
        {"display_name": "Alex Resident", "email": "alex@new.example", "phone": "+447700900123"}
    ]


def test_bad_contact_details_get_inline_errors(browser: Browser, services: Services) -> None:
    empty = browser.form("/account/contact", {"name": "", "email": "nope", "phone": ""})
    assert empty.status_code == 400
    assert "Enter your name" in text(empty) and 'href="#email"' in empty.text
    assert services.bodies("PUT", "/identity/me/contact") == []
    services.answers[("PUT", "/identity/me/contact")] = problem(
        422,
        "invalid-input",
        "The request cannot be accepted.",
        [{"message": "phone must be in international format, e.g. +447700900123"}],
    )
    refused = browser.form("/account/contact", {"name": "A", "email": "a@b.example", "phone": "07"})
    assert refused.status_code == 422
    assert 'href="#phone"' in refused.text and 'id="phone-error"' in refused.text
    assert 'value="07"' in refused.text  # what was typed stays in the form


def test_a_bounce_is_told_plainly_with_the_address_and_date(
    browser: Browser, services: Services
) -> None:
    bounced = {
        **PREFS,
        "delivery_problems": [
            {
                "channel": "email",
                "outcome": "bounced",
                "reason": "550 no such user",
                "recorded_at": "2026-05-03T10:00:00+00:00",
            }
        ],
    }
    services.answers[("GET", "/messaging/preferences")] = lambda _r: httpx.Response(
        200, json=bounced
    )
    page = browser.client.get("/account/contact")
    assert "Emails to alex@example.org bounced on 3 May 2026." in text(page)
    assert "change them and save" in text(page)


def test_problem_sentences_for_each_channel_and_outcome() -> None:
    me = {"email": "a@b.example", "phone": "+447700900123"}
    listed = [
        {"channel": "sms", "outcome": "failed", "recorded_at": "2026-01-09T23:59:00+00:00"},
        {"channel": "email", "outcome": "bounced", "recorded_at": "2026-12-25T00:00:00+00:00"},
    ]
    assert delivery_problems(listed, me) == [
        "Text messages to +447700900123 could not be delivered on 9 January 2026.",
        "Emails to a@b.example bounced on 25 December 2026.",
    ]
    assert day("2026-05-03T10:00:00.123456+00:00") == "3 May 2026"


def test_erasing_needs_the_box_ticked(browser: Browser, services: Services) -> None:
    page = browser.client.get("/account/erase")
    assert page.status_code == 200
    assert "cannot be undone" in text(page) and "audit log" in text(page)
    unticked = browser.form("/account/erase", {})
    assert unticked.status_code == 400 and 'href="#confirm"' in unticked.text
    assert services.bodies("DELETE", "/identity/accounts/a1") == []


def test_a_last_leader_is_told_which_group_and_stays_signed_in(
    browser: Browser, services: Services
) -> None:
    services.answers[("DELETE", "/identity/accounts/a1")] = problem(
        409,
        "last-leader",
        "you are the only chair or coordinator of Elm Street Watch: hand over first",
        [
            {
                "message": "You are the only coordinator of Elm Street Watch",
                "group_id": "g1",
                "group_name": "Elm Street Watch",
                "office": "coordinator",
            }
        ],
    )
    page = browser.form("/account/erase", {"confirm": "yes"})
    assert page.status_code == 409
    assert "You are the only coordinator of Elm Street Watch" in text(page)
    assert 'href="/groups/g1/members"' in page.text
    assert browser.session.session_id in browser.store.rows  # still signed in


def test_after_erasure_the_session_is_gone_and_the_page_says_so(
    browser: Browser, services: Services
) -> None:
    done = browser.form("/account/erase", {"confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == "/account/erased"
    assert len(services.bodies("DELETE", "/identity/accounts/a1")) == 1
    assert browser.store.rows == {}
    assert 'snp_session=""' in done.headers["set-cookie"]
    shown = browser.client.get("/account/erased")
    assert "Your account has been erased" in text(shown)
    assert browser.client.get("/account").status_code == 303  # to sign in


# --- Get a copy of your data (subject access) ---------------------------------------------

EXPORT = "0190c1e2-0000-7000-8000-000000000001"


def _export(status: str, done: int = 6) -> dict[str, Any]:
    return {
        "export_id": EXPORT,
        "status": status,
        "services_done": done,
        "services_total": 6,
        "requested_at": "2026-12-03T10:40:00+00:00",
        "completed_at": None,
        "expires_at": "2026-12-10T10:41:00+00:00",
        "links": {"self": f"/identity/me/data-exports/{EXPORT}"},
    }


def test_the_account_page_links_to_the_copy(browser: Browser) -> None:
    assert 'href="/account/data-copy"' in browser.client.get("/account").text


def test_the_page_says_what_the_copy_holds_and_lists_earlier_copies(
    browser: Browser, services: Services
) -> None:
    services.answers[("GET", "/identity/me/data-exports")] = lambda _r: httpx.Response(
        200, json={"exports": [_export("ready")]}
    )
    page = browser.client.get("/account/data-copy")
    assert page.status_code == 200
    assert "<title>Get a copy of your data" in page.text
    words = text(page)
    assert "Your password and authenticator app are never copied." in words
    assert "not even the police" in words
    assert f'href="/account/data-copy/{EXPORT}"' in page.text and "Ready to download" in words
    assert 'name="csrf_token"' in page.text


def test_asking_posts_to_identity_and_shows_the_progress(
    browser: Browser, services: Services
) -> None:
    services.answers[("POST", "/identity/me/data-exports")] = lambda _r: httpx.Response(
        202, json=_export("assembling", 0)
    )
    done = browser.form("/account/data-copy", {})
    assert done.status_code == 303
    assert done.headers["location"] == f"/account/data-copy/{EXPORT}"
    assert [r.method for r in services.sent if r.url.path == "/identity/me/data-exports"] == [
        "POST"
    ]
    services.answers[("GET", f"/identity/me/data-exports/{EXPORT}")] = lambda _r: httpx.Response(
        200, json=_export("assembling", 2)
    )
    shown = browser.client.get(done.headers["location"])
    assert "2 of 6 parts of the platform have given what they hold about you" in text(shown)
    assert "/download" not in shown.text


def test_a_forged_request_without_the_csrf_token_asks_for_nothing(
    browser: Browser, services: Services
) -> None:
    refused = browser.client.post("/account/data-copy", data={})
    assert refused.status_code in (400, 403)
    assert not [r for r in services.sent if r.url.path == "/identity/me/data-exports"]


def test_a_ready_copy_is_downloaded_as_identity_sends_it(
    browser: Browser, services: Services
) -> None:
    services.answers[("GET", f"/identity/me/data-exports/{EXPORT}")] = lambda _r: httpx.Response(
        200, json=_export("ready")
    )
    page = browser.client.get(f"/account/data-copy/{EXPORT}")
    assert f'href="/account/data-copy/{EXPORT}/download"' in page.text
    services.answers[("GET", f"/identity/me/data-exports/{EXPORT}/download")] = lambda _r: (
        httpx.Response(
            200,
            content=b"PK\x03\x04zip",
            headers={
                "content-type": "application/zip",
                "content-disposition": 'attachment; filename="my-data-2026-12-03.zip"',
            },
        )
    )
    got = browser.client.get(f"/account/data-copy/{EXPORT}/download")
    assert got.status_code == 200 and got.content == b"PK\x03\x04zip"
    assert got.headers["content-type"] == "application/zip"
    assert "my-data-2026-12-03.zip" in got.headers["content-disposition"]


def test_someone_elses_or_an_unknown_copy_is_not_found(browser: Browser) -> None:
    # Identity answers 404 for an export that is not the caller's (the stub's default).
    page = browser.client.get(f"/account/data-copy/{EXPORT}")
    assert page.status_code == 404


# A member's choice to share their contact details with the Neighbourhood Watch association:
# shown as identity holds it, saved by a CSRF-checked form, an unticked box a withdrawal.
ASSOCIATION_BOX = re.compile(r'name="agreed"[^>]*value="yes"')


def test_the_choice_is_shown_as_identity_holds_it(browser: Browser, services: Services) -> None:
    page = browser.client.get("/account")
    assert "Share my contact details with the Neighbourhood Watch association" in page.text
    assert ASSOCIATION_BOX.search(page.text) and not re.search(r'value="yes"\s+checked', page.text)
    agreed = {**ME, "shares_with_association": True}
    services.answers[("GET", "/identity/me")] = lambda _r: httpx.Response(200, json=agreed)
    assert re.search(r'value="yes"\s+checked', browser.client.get("/account").text)


def test_ticking_and_unticking_send_the_choice(browser: Browser, services: Services) -> None:
    services.answers[("PUT", "/identity/me/association-sharing")] = lambda _r: httpx.Response(204)
    ticked = browser.form("/account/association-sharing", {"agreed": "yes"})
    assert ticked.status_code == 303 and ticked.headers["location"] == "/account#association"
    browser.form("/account/association-sharing", {})
    assert services.bodies("PUT", "/identity/me/association-sharing") == [
        {"agreed": True},
        {"agreed": False},
    ]


def test_a_forged_post_without_the_csrf_token_changes_nothing(
    browser: Browser, services: Services
) -> None:
    refused = browser.client.post("/account/association-sharing", data={"agreed": "yes"})
    assert refused.status_code in (400, 403)
    assert services.bodies("PUT", "/identity/me/association-sharing") == []


def test_a_staff_account_is_not_offered_the_choice(browser: Browser, services: Services) -> None:
    police = {**ME, "kind": "police"}
    services.answers[("GET", "/identity/me")] = lambda _r: httpx.Response(200, json=police)
    assert not ASSOCIATION_BOX.search(browser.client.get("/account").text)


# Export your area's groups (an area coordinator): the wards, the two download links, the file
# passed on as membership sends it; without wards no links; another kind is refused.
def _as_area_coordinator(browser: Browser) -> None:
    claims = {"sub": "c1", "tenant": "met", "kind": "area_coordinator", "amr": ["pwd", "mfa"]}
    signed = jwt.encode(claims, "a key only this test knows, long enough for HS256", "HS256")
    browser.store.put(replace(browser.session, access_token=signed))


def test_the_export_page_names_the_wards_and_links_both_formats(
    browser: Browser, services: Services
) -> None:
    _as_area_coordinator(browser)
    area = {"account_id": "c1", "ward_codes": ["E05009317", "E05009318"], "set": True}
    services.answers[("GET", "/membership/areas/c1")] = lambda _r: httpx.Response(200, json=area)
    page = browser.client.get("/area-export")
    assert page.status_code == 200, page.text
    assert "The wards you cover: E05009317, E05009318." in text(page)
    assert 'href="/area-export/watch-groups.csv"' in page.text
    assert 'href="/area-export/watch-groups.json"' in page.text


def test_without_wards_there_is_nothing_to_export(browser: Browser, services: Services) -> None:
    _as_area_coordinator(browser)
    never = {"account_id": "c1", "ward_codes": [], "set": False}
    services.answers[("GET", "/membership/areas/c1")] = lambda _r: httpx.Response(200, json=never)
    page = browser.client.get("/area-export")
    assert "No wards are set for your area yet" in text(page)
    assert "watch-groups.csv" not in page.text


def test_a_download_is_membership_s_file_passed_on(browser: Browser, services: Services) -> None:
    _as_area_coordinator(browser)
    disposition = 'attachment; filename="watch-groups-2026-12-03.csv"'
    services.answers[("GET", "/membership/area-export")] = lambda _r: httpx.Response(
        200,
        content=b"group_id,group_name\r\ng1,Elm Watch\r\n",
        headers={"content-type": "text/csv; charset=utf-8", "content-disposition": disposition},
    )
    got = browser.client.get("/area-export/watch-groups.csv")
    assert got.status_code == 200
    assert got.content == b"group_id,group_name\r\ng1,Elm Watch\r\n"
    assert got.headers["content-disposition"] == disposition
    asked = [r.url.params.get("format") for r in services.sent if r.url.path.endswith("export")]
    assert asked == ["csv"]
    assert browser.client.get("/area-export/watch-groups.xlsx").status_code == 422


def test_a_member_is_refused_the_export_page(browser: Browser, services: Services) -> None:
    page = browser.client.get("/area-export")
    assert page.status_code == 403
    assert not [r for r in services.sent if r.url.path.startswith("/membership/")]
