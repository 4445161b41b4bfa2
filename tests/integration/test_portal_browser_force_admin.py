"""Force administration in Debian's headless Chromium against the real stack (the issue's
proof): a tenant admin creates a police account; its owner, in another browser, completes
set-up from the mailed link and enrols an authenticator; the admin sees it enrolled and revokes
the role behind the page that says what will happen. axe-core finds no violation on any page
visited, the form's error state and the list at 320 px included."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import SHOTS, Visit, chromium, fill_sign_in
from tests.integration.membership_people import identity_context
from tests.integration.messaging_helpers import body_text, mails_to, wait_until
from tests.integration.portal_people import Account, make_account, new_force, portal_url

pytestmark = pytest.mark.integration
NEW_PASSWORD = "copper harbour violin 77"


@pytest.fixture(scope="module")
def browsers(stack: Any) -> Iterator[tuple[Any, Any]]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running) as admins, chromium(running) as owners:
        yield admins, owners


@pytest.fixture(scope="module")
def admin(stack: Any) -> Account:
    with identity_context(stack) as ctx:
        return make_account(ctx, new_force(ctx), "tenant_admin", "Avery Admin")


def test_an_admin_creates_a_police_account_whose_owner_sets_up_and_enrols(
    stack: Any, browsers: tuple[Any, Any], admin: Account
) -> None:
    from playwright.sync_api import expect

    from e2e.authenticator import Authenticator

    base = portal_url(stack)
    page = browsers[0].new_page()
    visit = Visit(page, "force-admin")
    page.goto(f"{base}/force-admin")
    fill_sign_in(page, admin.tenant, admin.email)
    page.wait_for_url("**/sign-in/code**")
    page.get_by_label("Authenticator code").fill(admin.next_code())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Staff accounts")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu")).to_contain_text("Staff accounts")
    visit.check_narrow_too("staff")

    page.get_by_role("button", name="Create a staff account").click()
    visit.check("new")
    page.get_by_role("button", name="Create the account and send the link").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    visit.check("new-errors")
    email = f"pc-new-{uuid.uuid4().hex[:6]}@{admin.tenant}.example"
    page.get_by_label("Full name").fill("PC Morgan New")
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Police officer").check()
    page.get_by_role("button", name="Create the account and send the link").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("A set-up link has gone")
    row = page.locator("tr", has_text="PC Morgan New")
    expect(row).to_contain_text("Set-up link sent")
    visit.check_narrow_too("created")

    wait_until(lambda: bool(mails_to(stack.maildir, email)), what="the set-up mail")
    found = re.search(
        re.escape(base) + r"/set-up/[A-Za-z0-9_-]+", body_text(*mails_to(stack.maildir, email))
    )
    assert found
    owner = browsers[1].new_page()
    seen = Visit(owner, "new-police")
    owner.goto(found.group(0))
    owner.get_by_role("heading", name="Set up your staff account").wait_for()
    seen.check_narrow_too("set-up")
    owner.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    owner.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    owner.get_by_role("button", name="Set my password").click()
    owner.get_by_role("heading", name="Your password is set").wait_for()
    seen.check("set-up-done")
    owner.locator("#main-content").get_by_role("link", name="Sign in").click()
    fill_sign_in(owner, admin.tenant, email, NEW_PASSWORD)
    owner.get_by_role("heading", name="Staff pages need your authenticator app").wait_for()
    seen.check("second-factor-first")
    owner.get_by_role("button", name="Set up your authenticator app").click()
    seen.check("authenticator-intro")
    owner.get_by_role("button", name="Continue").click()
    owner.get_by_role("img", name="QR code to scan with your authenticator app").wait_for()
    seen.check("authenticator-qr")
    authenticator = Authenticator(owner.inner_text("#secret-key"))
    owner.get_by_label("Code from your authenticator app").fill(authenticator.code())
    owner.get_by_role("button", name="Confirm").click()
    owner.wait_for_url("**/account/recovery-codes")
    expect(owner.locator(".snp-recovery-codes code")).to_have_count(10)
    seen.check("recovery-codes")
    owner.close()

    page.reload()
    expect(row).to_contain_text("Set up")
    expect(row).not_to_contain_text("Never")  # the owner's sign-in
    row.get_by_role("link", name="PC Morgan New").click()
    expect(page.get_by_role("heading", name="PC Morgan New")).to_be_visible()
    visit.check_narrow_too("account")
    page.get_by_role("button", name="Revoke the role").click()
    expect(page.locator("#consequences")).to_contain_text("will no longer act as a police officer")
    visit.check("revoke-confirm")
    page.get_by_role("button", name="Revoke the role").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The role is revoked.")
    visit.check("revoked")
    page.close()
