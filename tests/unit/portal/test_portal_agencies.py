"""The force administrator's agencies pages, the partner kind on the create-staff form and
the partner console, rendered through the app with identity faked (httpx's MockTransport):
what each page shows and sends, and identity's refusals beside their fields. The real services
and Chromium with axe are in tests/integration/test_portal_browser_partners.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import jwt
from fastapi.testclient import TestClient
from pydantic import SecretStr

from snp_platform.keywrap import generate_config
from snp_platform.testing import unopened_pool
from snp_portal.adapters.api import Apis
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.app import build_app
from snp_portal.settings import PortalSettings

NOW = datetime.now(UTC)
AGENCY = {
    "agency_id": "0b0e7c39-8a4b-4d43-9a43-3b1e3f0c2a11",
    "name": "Camden Council ASB team",
    "kind": "council",
    "status": "active",
    "registered_at": "2026-12-01T10:00:00+00:00",
}
RETIRED = {**AGENCY, "agency_id": "5d1f0a7e-2c1b-4c7e-8f1e-9a0b1c2d3e4f", "name": "Old housing"}
RETIRED["status"] = "retired"

Handler = Callable[[httpx.Request], httpx.Response]


def token(kind: str) -> str:
    claims = {"sub": "me", "tenant": "met", "kind": kind, "amr": ["pwd", "otp", "mfa"]}
    if kind == "partner":
        claims["agency"] = AGENCY["agency_id"]
    return jwt.encode(claims, "k" * 32, algorithm="HS256")


def client(kind: str, answer: Handler, calls: list[httpx.Request]) -> TestClient:
    session = Session("s1", "csrf-1", NOW, NOW, token(kind), "refresh", NOW, "met")

    class SignedIn:
        def current(self, _cookie: str | None) -> Session:
            return session

        def access_token(self, _session: Session) -> str:
            return token(kind)

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if request.url.path == "/identity/public/tenants/met":
            return httpx.Response(200, json={"slug": "met", "display_name": "Met Police"})
        return answer(request)

    app = build_app(
        PortalSettings(cookie_secure=False, portal_session_keys=SecretStr(generate_config())),
        unopened_pool(),
    )
    app.state.portal = SignedIn()
    app.state.apis = Apis.from_urls(
        "http://i", "http://m", "http://d", "http://g", httpx.MockTransport(handler)
    )
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def identity(request: httpx.Request) -> httpx.Response:
    path, method = request.url.path, request.method
    if path == "/identity/agencies" and method == "GET":
        return httpx.Response(200, json={"agencies": [AGENCY, RETIRED], "kinds": []})
    if path == f"/identity/agencies/{AGENCY['agency_id']}" and method == "GET":
        return httpx.Response(200, json=AGENCY)
    if path == "/identity/me":
        return httpx.Response(200, json={"agency_id": AGENCY["agency_id"], "kind": "partner"})
    if path.startswith("/identity/agencies/"):
        return httpx.Response(404, json={"type": "urn:snp:problem:not-found"})
    raise AssertionError(f"unexpected {method} {request.url}")


def test_the_agencies_list_names_each_agency_with_its_kind_and_status() -> None:
    calls: list[httpx.Request] = []
    page = client("tenant_admin", identity, calls).get("/force-admin/agencies")
    assert page.status_code == 200
    assert "Camden Council ASB team" in page.text and "Old housing" in page.text
    assert 'data-status="retired"' in page.text and ">Council<" in page.text
    assert 'href="/force-admin/agencies/new"' in page.text
    assert 'href="/force-admin/agencies"' in page.text  # the menu's "Agencies"


def test_an_agency_taken_name_is_said_beside_the_field_and_an_empty_form_asks_nothing() -> None:
    calls: list[httpx.Request] = []

    def taken(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(
                409,
                json={
                    "type": "urn:snp:problem:agency-name-taken",
                    "title": "Conflict",
                    "detail": "The force already has an agency called 'Camden'.",
                },
            )
        return identity(request)

    test = client("tenant_admin", taken, calls)
    empty = test.post("/force-admin/agencies/new", data={"csrf_token": "csrf-1"})
    assert empty.status_code == 400
    assert "Enter the agency&#39;s name" in empty.text and "Select the kind of agency" in empty.text
    assert not [c for c in calls if c.method == "POST"]
    form = {"csrf_token": "csrf-1", "name": "Camden", "kind": "council"}
    refused = test.post("/force-admin/agencies/new", data=form)
    assert refused.status_code == 400 and "already has an agency called" in refused.text
    [sent] = [c for c in calls if c.method == "POST"]
    assert json.loads(sent.content) == {"name": "Camden", "kind": "council"}


def test_the_partner_kind_needs_an_agency_of_the_force() -> None:
    calls: list[httpx.Request] = []

    def made(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/identity/accounts":
            return httpx.Response(201, json={"account_id": "new-1", "set_up": "mailed"})
        return identity(request)

    test = client("tenant_admin", made, calls)
    form = test.get("/force-admin/staff/new").text
    assert "Partner agency officer" in form
    assert AGENCY["agency_id"] in form and RETIRED["agency_id"] not in form  # active only
    fields = {"csrf_token": "csrf-1", "name": "Sam", "email": "sam@x.example", "kind": "partner"}
    missing = test.post("/force-admin/staff/new", data=fields)
    assert missing.status_code == 400 and "Select the agency the partner works for" in missing.text
    done = test.post("/force-admin/staff/new", data={**fields, "agency": AGENCY["agency_id"]})
    assert done.status_code == 303
    [sent] = [c for c in calls if c.method == "POST"]
    assert json.loads(sent.content)["agency_id"] == AGENCY["agency_id"]


def test_a_partner_lands_on_the_console_naming_its_agency() -> None:
    calls: list[httpx.Request] = []
    test = client("partner", identity, calls)
    home = test.get("/home")
    assert home.status_code == 303 and home.headers["location"] == "/partner"
    page = test.get("/partner")
    assert page.status_code == 200
    assert "You act for Camden Council ASB team" in page.text and "Kind of agency" in page.text
    assert test.get("/force-admin/agencies").status_code == 403


def test_an_unknown_agency_is_not_found() -> None:
    page = client("tenant_admin", identity, []).get(f"/force-admin/agencies/{RETIRED['agency_id']}")
    assert page.status_code == 404
