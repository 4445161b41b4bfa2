"""Engagement events in Debian's headless Chromium against the real stack: a police officer
arranges an event (after the form's error state) from the console's "Events"; a resident, in
another browser, finds it on the ward's public events page, signs in from the event and
registers ("You are registered"). axe-core finds no violation on any page visited (320 px too
for the form, the ward's page and the event). Screenshots in /tmp/shots-portal-events/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import Visit, chromium, fill_sign_in
from tests.integration.engagement_world import WARD, EngagementWorld, engagement_world
from tests.integration.portal_people import Account, portal_url

pytestmark = pytest.mark.integration
SHOTS = Path("/tmp/shots-portal-events")
DAY = date(date.today().year + 1, 12, 8)


@pytest.fixture(scope="module")
def browsers(stack: Any) -> Iterator[tuple[Any, Any]]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    with sync_playwright() as running, chromium(running) as police, chromium(running) as residents:
        yield police, residents


@pytest.fixture(scope="module")
def world(stack: Any) -> EngagementWorld:
    return engagement_world(stack)


def sign_in(page: Any, account: Account) -> None:
    """From the sign-in page the portal sent us to; back to where we were going."""
    fill_sign_in(page, account.tenant, account.email)
    if account.totp is not None:
        page.wait_for_url("**/sign-in/code**")
        page.get_by_label("Authenticator code").fill(account.next_code())
        page.get_by_role("button", name="Sign in").click()


def test_police_arrange_an_event_and_a_resident_registers(
    stack: Any, browsers: tuple[Any, Any], world: EngagementWorld
) -> None:
    from playwright.sync_api import expect

    base = portal_url(stack)
    police = browsers[0].new_page()
    theirs = Visit(police, "police", SHOTS)
    police.goto(f"{base}/events")
    sign_in(police, world.account("police"))
    police.wait_for_url(f"{base}/events")
    theirs.check("events")
    police.get_by_role("button", name="Arrange an event").click()
    expect(police.get_by_role("heading", name="Arrange an event")).to_be_visible()
    police.get_by_role("button", name="Arrange the event").click()
    expect(police.locator(".govuk-error-summary")).to_contain_text("Select the kind of event")
    theirs.check_narrow_too("arrange-errors")
    police.get_by_label("Walkabout").check()
    police.get_by_label("Title").fill("Walkabout on Mill Lane")
    police.get_by_label("Elm Park", exact=True).check()  # the ward picker names the ward
    start = police.locator("#event_day")  # the end date stays blank: the same day
    start.get_by_label("Day", exact=True).fill(str(DAY.day))
    start.get_by_label("Month", exact=True).fill(str(DAY.month))
    start.get_by_label("Year", exact=True).fill(str(DAY.year))
    police.get_by_label("Start time").fill("6pm")
    police.get_by_label("End time").fill("7:30pm")
    police.get_by_label("Location to be confirmed").check()
    police.get_by_label("Contact role (optional)").fill("Ward sergeant")
    police.get_by_role("button", name="Arrange the event").click()
    expect(police.locator(".govuk-notification-banner")).to_contain_text("The event is arranged")
    expect(police.get_by_role("link", name="Cancel this event")).to_be_visible()
    expect(police.locator("main")).to_contain_text(f"Elm Park ({WARD})")
    theirs.check("arranged")

    resident = browsers[1].new_page()
    seen = Visit(resident, "resident", SHOTS)
    resident.goto(f"{base}/public/{world.tenant}/wards/{WARD}/events")
    expect(resident.get_by_role("heading", name="Events in Elm Park")).to_be_visible()
    expect(resident.locator("main")).to_contain_text(
        f"{DAY:%A} 8 December {DAY.year}, 6pm to 7:30pm"
    )
    expect(resident.locator("main")).to_contain_text("Location to be confirmed")
    expect(resident.get_by_role("link", name="Add the events in Elm Park")).to_be_visible()
    seen.check_narrow_too("ward-events")
    resident.get_by_role("link", name="Walkabout on Mill Lane").click()
    sign_in(resident, world.account("plain"))
    expect(resident.get_by_role("heading", name="Walkabout on Mill Lane")).to_be_visible()
    seen.check("event")
    resident.get_by_role("button", name="Register for this event").click()
    expect(resident.locator(".govuk-notification-banner")).to_contain_text("You are registered")
    expect(resident.get_by_role("button", name="Cancel your registration")).to_be_visible()
    seen.check_narrow_too("registered")
