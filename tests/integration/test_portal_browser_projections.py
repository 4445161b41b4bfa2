"""The operator's projections pages in Debian's headless Chromium against the real stack: the
list of every service's projections, the page that says what a rebuild will do, the progress
page (followed with its Refresh link, no JavaScript needed), and the refusal another kind gets.
axe-core finds no violation on any of them, at full width and at 320 px."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import SHOTS, Visit, chromium, fill_sign_in
from tests.integration.membership_people import identity_context
from tests.integration.ops_helpers import RECIPIENTS
from tests.integration.portal_people import Account, make_account, new_force, portal_url

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def browser(stack: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running) as context:
        yield context


@pytest.fixture(scope="module")
def accounts(stack: Any) -> dict[str, Account]:
    with identity_context(stack) as ctx:
        return {
            "operator": make_account(ctx, "platform", "operator", "Council IT"),
            "police": make_account(ctx, new_force(ctx), "police", "PC Curious"),
        }


def sign_in_with_code(page: Any, base: str, who: Account, start: str) -> None:
    page.goto(f"{base}{start}")
    fill_sign_in(page, who.tenant, who.email)
    page.wait_for_url("**/sign-in/code**")
    page.get_by_label("Authenticator code").fill(who.next_code())
    page.get_by_role("button", name="Sign in").click()


def test_an_operator_rebuilds_a_projection_and_follows_its_progress(
    stack: Any, browser: Any, accounts: dict[str, Account]
) -> None:
    from playwright.sync_api import expect

    base = portal_url(stack)
    page = browser.new_page()
    visit = Visit(page, "operator-projections")
    sign_in_with_code(page, base, accounts["operator"], "/operator/projections")
    expect(page.get_by_role("heading", name="Projections", exact=True)).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Projections")).to_be_visible()
    for service in ("membership", "documents", "messaging", "audit"):
        expect(page.locator(f'table[data-service="{service}"]')).to_be_visible()
    expect(page.locator('[data-service="identity"]')).to_contain_text("keeps no projections")
    visit.check_narrow_too("list")

    row = page.locator(f'table[data-service="messaging"] tr[data-projection="{RECIPIENTS}"]')
    row.get_by_role("link", name=f"Rebuild {RECIPIENTS}").click()
    expect(page.get_by_role("heading", name=f"Rebuild {RECIPIENTS}?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nothing is sent and no event is recorded")
    visit.check_narrow_too("confirm")

    page.get_by_role("button", name="Rebuild the projection").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The rebuild has started")
    visit.check_narrow_too("progress")
    deadline = time.monotonic() + 120
    while page.locator("#rebuild").get_attribute("data-state") == "running":
        assert time.monotonic() < deadline, "the rebuild did not end"
        time.sleep(1)
        page.get_by_role("link", name="Refresh").click()
    expect(page.locator("#rebuild")).to_have_attribute("data-state", "finished")
    expect(page.locator("#rebuild")).to_contain_text("Rebuilt")
    expect(page.locator("#rebuild")).to_contain_text("(100%)")
    visit.check_narrow_too("finished")

    page.get_by_role("link", name="Projections", exact=True).first.click()
    expect(page.locator(f'tr[data-projection="{RECIPIENTS}"]').first).to_contain_text("Rebuilt")
    visit.check("list-after")
    page.close()


def test_another_kind_gets_the_refusal_page(
    stack: Any, browser: Any, accounts: dict[str, Account]
) -> None:
    from playwright.sync_api import expect

    browser.clear_cookies()  # the operator's session, from the test before, is forgotten
    page = browser.new_page()
    visit = Visit(page, "police-projections")
    sign_in_with_code(page, portal_url(stack), accounts["police"], "/account")
    response = page.goto(f"{portal_url(stack)}/operator/projections")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Rebuild")
    visit.check("refused")
    page.close()
