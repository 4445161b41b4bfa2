"""My preferences, my contact details (with a bounce told plainly) and erasing my account, in
Debian's headless Chromium against the real stack; axe-core finds no violation on any page
visited, error pages included. Screenshots go to .artifacts/screenshots/portal/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.membership_people import PASSWORD
from tests.integration.portal_account_world import (
    WARD,
    World,
    bounce_a_message_to,
    wait_for_the_ward,
    world_fixture,  # noqa: F401 (the world fixture)
)
from tests.integration.portal_people import Account, portal_url
from tests.integration.test_portal_browser import SHOTS, Visit, chromium

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def browser(stack: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    toolbox.require("npm")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running) as context:
        yield context


def _sign_in(page: Any, base: str, who: Account, next_path: str) -> None:
    page.goto(f"{base}{next_path}")  # to sign-in first, then back here
    page.get_by_label("Your police force").fill(who.tenant)
    page.get_by_label("Email address").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}{next_path}")
    page.wait_for_load_state("load")


def test_a_member_chooses_preferences_and_fixes_a_bounced_address(
    stack: Any, browser: Any, world: World
) -> None:
    wait_for_the_ward(stack, world)
    bounce_a_message_to(stack, world)
    base, page = portal_url(stack), browser.new_page()
    visit = Visit(page, "preferences")
    _sign_in(page, base, world.neighbour, "/account")
    page.get_by_role("link", name="Choose how messages reach you").click()
    page.wait_for_url(f"{base}/account/preferences")
    page.get_by_role("heading", name="Your message preferences").wait_for()
    assert page.title().startswith("Your message preferences")
    visit.check("preferences")
    page.get_by_label(WARD[1]).check()
    page.get_by_label("High and urgent only").check()
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_text("Your message preferences have been saved.").wait_for()
    assert page.get_by_label(WARD[1]).is_checked()
    visit.check("preferences-saved")

    # A weekly digest of low and normal messages, and quiet hours.
    page.get_by_label("Weekly digest").check()
    page.get_by_label("Which messages go in your digest?").select_option("high")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Quiet hours start at").select_option("21:30")
    page.get_by_label("Quiet hours end at").select_option("06:30")
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_text("Your message preferences have been saved.").wait_for()
    assert page.get_by_label("Weekly digest").is_checked()
    assert page.get_by_label("Quiet hours start at").input_value() == "21:30"
    visit.check("preferences-digest")
    # A digest without email is refused with the error summary, and nothing changes.
    page.get_by_label("Email", exact=True).uncheck()
    page.get_by_label("Daily digest").check()
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_role(
        "link", name="A digest is sent by email: select email, or no digest"
    ).wait_for()
    assert page.title().startswith("Error: Your message preferences")
    visit.check("preferences-digest-errors")
    page.goto(f"{base}/account/preferences")
    assert page.get_by_label("Weekly digest").is_checked()
    assert page.get_by_label("Email", exact=True).is_checked()

    page.goto(f"{base}/account/contact")
    banner = page.inner_text(".govuk-notification-banner")
    assert f"Emails to {world.neighbour.email} bounced on" in banner
    visit.check("contact-bounced")
    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Save contact details").click()
    page.get_by_role("link", name="Enter your name").wait_for()
    assert page.title().startswith("Error: Your contact details")
    visit.check("contact-errors")
    page.get_by_label("Name", exact=True).fill("Nia Neighbour")
    new_email = world.neighbour.email.replace("bounce.example", "example.org")
    page.get_by_label("Email address").fill(new_email)
    page.get_by_role("button", name="Save contact details").click()
    page.get_by_text("Your contact details have been saved.").wait_for()
    visit.check("contact-saved")
    page.set_viewport_size({"width": 320, "height": 640})
    visit.check("contact-320px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_role("button", name="Sign out").click()  # the next test signs in as others
    page.wait_for_url(f"{base}/signed-out")
    page.close()


def test_erasing_is_blocked_for_a_last_leader_and_done_for_a_member(
    stack: Any, browser: Any, world: World
) -> None:
    base = portal_url(stack)
    page = browser.new_page()
    visit = Visit(page, "erase-leader")
    _sign_in(page, base, world.coordinator, "/account/erase")
    page.get_by_role("heading", name="Erase your account").wait_for()
    visit.check("erase")
    page.get_by_role("button", name="Erase my account").click()
    page.get_by_role("link", name=CONFIRM_TEXT).wait_for()
    visit.check("erase-unconfirmed")
    page.get_by_label("I understand that my account will be erased").check()
    page.get_by_role("button", name="Erase my account").click()
    page.get_by_text("You cannot erase your account yet").wait_for()
    assert f"You are the only coordinator of {world.group_name}" in page.inner_text("main")
    visit.check("erase-last-leader")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/signed-out")
    page.close()

    page = browser.new_page()
    visit = Visit(page, "erase-member")
    _sign_in(page, base, world.plain, "/account/erase")
    page.get_by_label("I understand that my account will be erased").check()
    page.get_by_role("button", name="Erase my account").click()
    page.wait_for_url(f"{base}/account/erased")
    page.get_by_role("heading", name="Your account has been erased").wait_for()
    visit.check("erased")
    page.goto(f"{base}/account")
    assert "/sign-in" in page.url
    page.close()


CONFIRM_TEXT = "Tick the box to confirm you want to erase your account"
