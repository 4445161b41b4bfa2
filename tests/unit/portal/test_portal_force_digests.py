"""The force administrator's digest time page, rendered through the app with messaging faked:
what it shows and sends, the error summary for bad input (nothing sent), and that other staff
kinds are not let in."""

from __future__ import annotations

import json

import httpx

from tests.unit.portal.test_portal_agencies import client

SCHEDULE = {"time": "07:00", "weekday": "monday", "timezone": "Europe/London", "is_default": True}


def messaging(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/messaging/digest-schedule" and request.method == "GET":
        return httpx.Response(200, json=SCHEDULE)
    if request.url.path == "/messaging/digest-schedule" and request.method == "PUT":
        return httpx.Response(200, json={**json.loads(request.content), "is_default": False})
    raise AssertionError(f"unexpected {request.method} {request.url}")


def test_the_page_shows_the_forces_digest_time_and_is_in_the_admins_menu() -> None:
    calls: list[httpx.Request] = []
    page = client("tenant_admin", messaging, calls).get("/force-admin/digests")
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Digest time</h1>' in page.text
    assert 'value="07:00" selected' in page.text
    assert 'value="monday" checked' in page.text
    assert 'href="/force-admin/digests"' in page.text


def test_saving_puts_the_time_and_day_then_says_so() -> None:
    calls: list[httpx.Request] = []
    test = client("tenant_admin", messaging, calls)
    form = {"csrf_token": "csrf-1", "time": "18:30", "weekday": "friday"}
    done = test.post("/force-admin/digests", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/force-admin/digests?saved=1"
    puts = [json.loads(c.content) for c in calls if c.method == "PUT"]
    assert puts == [{"time": "18:30", "weekday": "friday"}]


def test_bad_input_gets_the_error_summary_and_sends_nothing() -> None:
    calls: list[httpx.Request] = []
    test = client("tenant_admin", messaging, calls)
    page = test.post("/force-admin/digests", data={"csrf_token": "csrf-1", "time": "25:00"})
    assert page.status_code == 400
    assert "govuk-error-summary" in page.text
    assert 'href="#time"' in page.text and 'href="#weekday"' in page.text
    assert "Select the time digests are sent" in page.text
    assert not [c for c in calls if c.method == "PUT"]


def test_other_staff_kinds_do_not_get_the_page() -> None:
    calls: list[httpx.Request] = []
    page = client("police", messaging, calls).get("/force-admin/digests")
    assert page.status_code in (403, 404)
    assert not [c for c in calls if c.url.path.startswith("/messaging")]
