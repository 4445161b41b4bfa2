"""The force administrator's digest time page in Debian's headless Chromium against the real
stack: the default shown, a new time and day saved through messaging, axe-core finding no
violation on each page visited, at 320 px too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.browser_pages import Visit
from tests.integration.portal_people import Account, portal_url
from tests.integration.test_portal_browser_partners import admin, browsers, sign_in

__all__ = ["admin", "browsers"]
pytestmark = pytest.mark.integration


def test_an_admin_sets_when_the_forces_digests_go(
    stack: Any, browsers: tuple[Any, Any], admin: Account
) -> None:
    from playwright.sync_api import expect

    base = portal_url(stack)
    page = browsers[0].new_page()
    visit = Visit(page, "force-digests")
    sign_in(page, base, admin, "/force-admin/digests")
    expect(page.get_by_role("heading", name="Digest time")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu")).to_contain_text("Digest time")
    assert page.get_by_label("Time of day (UK time)").input_value() == "07:00"
    assert page.get_by_label("Monday").is_checked()
    visit.check_narrow_too("default")
    page.get_by_label("Time of day (UK time)").select_option("18:30")
    page.get_by_label("Friday").check()
    page.get_by_role("button", name="Save the digest time").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The digest time has been saved."
    )
    assert page.get_by_label("Time of day (UK time)").input_value() == "18:30"
    assert page.get_by_label("Friday").is_checked()
    visit.check("saved")
    page.close()
