"""An authenticator reset in Debian's headless Chromium against the real stack: one tenant
admin asks for it with a reason (the empty form's error state too), the one who asked is
refused the approval in the error summary, a second admin in another browser approves it from
the staff list; axe-core finds no violation on any page visited, 320 px included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import SHOTS, Visit, chromium, fill_sign_in
from tests.integration.membership_people import identity_context
from tests.integration.portal_people import Account, make_account, new_force, portal_url

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def browsers(stack: Any) -> Iterator[tuple[Any, Any]]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running) as first, chromium(running) as second:
        yield first, second


def signed_in_console(browser: Any, base: str, admin: Account, who: str) -> tuple[Any, Visit]:
    from playwright.sync_api import expect

    page = browser.new_page()
    visit = Visit(page, who)
    page.goto(f"{base}/force-admin")
    fill_sign_in(page, admin.tenant, admin.email)
    page.wait_for_url("**/sign-in/code**")
    page.get_by_label("Authenticator code").fill(admin.next_code())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Staff accounts")).to_be_visible()
    return page, visit


def test_one_admin_asks_the_other_approves_from_the_staff_list(
    stack: Any, browsers: tuple[Any, Any]
) -> None:
    from playwright.sync_api import expect

    with identity_context(stack) as ctx:
        force = new_force(ctx)
        first = make_account(ctx, force, "tenant_admin", "Avery First")
        second = make_account(ctx, force, "tenant_admin", "Blake Second")
        make_account(ctx, force, "police", "PC Lost Phone")
    base = portal_url(stack)

    page, visit = signed_in_console(browsers[0], base, first, "reset-asker")
    page.get_by_role("link", name="PC Lost Phone").click()
    page.get_by_role("button", name="Reset authenticator").click()
    expect(page.locator("#consequences")).to_contain_text("another administrator of the force")
    visit.check_narrow_too("ask")
    page.get_by_role("button", name="Ask for the reset").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    visit.check("ask-errors")
    page.get_by_label("Why is the reset needed?").fill("Lost phone and recovery codes")
    page.get_by_role("button", name="Ask for the reset").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The reset is asked for.")
    expect(page.locator("#main-content")).to_contain_text("You asked for this reset")
    visit.check_narrow_too("asked")
    expect(page.locator("#authenticator-reset")).to_be_visible()

    other, seen = signed_in_console(browsers[1], base, second, "reset-approver")
    expect(other.locator("#waiting-resets")).to_contain_text("asked by Avery First")
    seen.check_narrow_too("staff-list-waiting")
    other.locator("#waiting-resets").get_by_role("link", name="PC Lost Phone").click()
    expect(other.locator("#authenticator-reset")).to_contain_text("Lost phone and recovery codes")
    seen.check("account-waiting")
    approve_link = other.get_by_role("button", name="Approve the reset").get_attribute("href")
    assert approve_link and approve_link.endswith("/approve")

    # The one who asked opens the approval by its address: refused in words.
    page.goto(f"{base}{approve_link}")
    page.get_by_role("button", name="Approve the reset").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("You asked for this reset")
    visit.check("own-approval-refused")

    other.get_by_role("button", name="Approve the reset").click()
    expect(other.locator("#consequences")).to_contain_text("Avery First asked for it.")
    seen.check_narrow_too("approve-confirm")
    other.get_by_role("button", name="Approve the reset").click()
    expect(other.locator(".govuk-notification-banner")).to_contain_text(
        "The authenticator app is reset."
    )
    seen.check("approved")
    page.close()
    other.close()
