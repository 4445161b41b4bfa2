"""The digest and quiet hours on the member's preferences page, rendered through the portal's
app with messaging stubbed: what is shown, what is sent, and the error summary for bad input
(nothing sent)."""

from __future__ import annotations

import re

import httpx

from tests.unit.portal.test_portal_account_pages import (
    PREFS,
    Browser,
    Services,
    browser,
    problem,
    services,
    text,
)

__all__ = ["browser", "services"]
FORM = {"channels": ["email"], "areas": ["W02"], "minimum_priority": "low"}


def test_the_page_shows_the_members_digest_and_quiet_hours(
    browser: Browser, services: Services
) -> None:
    held: dict[str, object] = {**PREFS, "digest": "weekly", "digest_below": "high"}
    held["quiet_hours"] = {"start": "21:30", "end": "06:00"}
    services.answers[("GET", "/messaging/preferences")] = lambda _r: httpx.Response(200, json=held)
    page = browser.client.get("/account/preferences")
    assert page.status_code == 200
    assert re.search(r'value="weekly"\s+checked', page.text)
    assert re.search(r'value="high"\s+selected', page.text)
    assert re.search(r'name="quiet"[^>]*value="on"\s+checked', page.text)
    assert re.search(r'id="quiet_start"[\s\S]*?value="21:30"\s+selected', page.text)
    assert re.search(r'id="quiet_end"[\s\S]*?value="06:00"\s+selected', page.text)
    assert "Urgent messages are always sent at once" in text(page)


def test_without_a_digest_or_quiet_hours_the_form_offers_them_unchosen(browser: Browser) -> None:
    page = browser.client.get("/account/preferences")  # PREFS has neither
    assert re.search(r'value="none"\s+checked', page.text)
    assert re.search(r'name="quiet"[^>]*value="off"\s+checked', page.text)


def test_saving_a_digest_and_quiet_hours_sends_them_to_messaging(
    browser: Browser, services: Services
) -> None:
    chosen = {**FORM, "digest": "daily", "digest_below": "urgent", "quiet": "on"}
    done = browser.form(
        "/account/preferences", {**chosen, "quiet_start": "22:00", "quiet_end": "07:00"}
    )
    assert done.status_code == 303, done.text
    assert services.bodies("PUT", "/messaging/preferences") == [
        {
            **FORM,
            "digest": "daily",
            "digest_below": "urgent",
            "quiet_hours": {"start": "22:00", "end": "07:00"},
        }
    ]
    off = browser.form(
        "/account/preferences",
        {**FORM, "digest": "none", "digest_below": "normal", "quiet": "off"},
    )
    assert off.status_code == 303
    assert services.bodies("PUT", "/messaging/preferences")[-1]["quiet_hours"] is None


def test_bad_digest_or_quiet_hours_get_the_error_summary_and_nothing_is_sent(
    browser: Browser, services: Services
) -> None:
    page = browser.form(
        "/account/preferences",
        {
            **FORM,
            "channels": ["sms"],
            "digest": "daily",
            "digest_below": "low",
            "quiet": "on",
            "quiet_start": "22:00",
            "quiet_end": "22:00",
        },
    )
    assert page.status_code == 400
    assert "<title>Error: Your message preferences" in page.text
    for field in ("digest", "digest_below", "quiet_start"):
        assert f'href="#{field}"' in page.text
    shown = text(page)
    assert "A digest is sent by email: select email, or no digest" in shown
    assert "Select which messages go in your digest" in shown
    assert "Select when your quiet hours start and end, at different times" in shown
    assert services.bodies("PUT", "/messaging/preferences") == []
    # What messaging refuses is put on the form's fields too.
    services.answers[("PUT", "/messaging/preferences")] = problem(
        422,
        "invalid-input",
        "The request cannot be accepted.",
        [{"message": "quiet hours must end at another time than they start"}],
    )
    refused = browser.form(
        "/account/preferences",
        {**FORM, "quiet": "on", "quiet_start": "01:00", "quiet_end": "02:00"},
    )
    assert refused.status_code == 422
    assert 'href="#quiet_start"' in refused.text
