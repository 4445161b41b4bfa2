"""Partner agencies in Debian's headless Chromium against the real stack: a tenant admin adds
an agency (after the form's error state), renames it, creates a partner account for it on the
create-staff form (after its "choose an agency" error), and a partner of the agency, signing in
in another browser, lands on the partner console that names the agency; then the admin retires
the agency behind the page that says what will happen. axe-core finds no violation on any
page visited, at 320 px too."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from snp_identity.service_layer import agencies
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
    with sync_playwright() as running, chromium(running) as admins, chromium(running) as partners:
        yield admins, partners


@pytest.fixture(scope="module")
def admin(stack: Any) -> Account:
    with identity_context(stack) as ctx:
        return make_account(ctx, new_force(ctx), "tenant_admin", "Avery Admin")


def sign_in(page: Any, base: str, account: Account, start: str) -> None:
    page.goto(f"{base}{start}")
    fill_sign_in(page, account.tenant, account.email)
    page.wait_for_url("**/sign-in/code**")
    page.get_by_label("Authenticator code").fill(account.next_code())
    page.get_by_role("button", name="Sign in").click()


def test_an_admin_adds_an_agency_and_a_partner_who_lands_on_its_console(
    stack: Any, browsers: tuple[Any, Any], admin: Account
) -> None:
    from playwright.sync_api import expect

    base = portal_url(stack)
    page = browsers[0].new_page()
    visit = Visit(page, "force-agencies")
    sign_in(page, base, admin, "/force-admin/agencies")
    expect(page.get_by_role("heading", name="Partner agencies")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu")).to_contain_text("Agencies")
    visit.check_narrow_too("empty")

    page.get_by_role("button", name="Add a partner agency").click()
    visit.check("new")
    page.get_by_role("button", name="Add the agency").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the agency's name")
    visit.check("new-errors")
    page.get_by_label("Name").fill("x" * 300)
    page.get_by_label("Council").check()
    page.get_by_role("button", name="Add the agency").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("200 characters or fewer")
    page.get_by_label("Name").fill("Camden Council ASB")
    page.get_by_role("button", name="Add the agency").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The agency is added")
    visit.check_narrow_too("added")

    page.get_by_role("link", name="Camden Council ASB").click()
    expect(page.get_by_role("heading", name="Camden Council ASB")).to_be_visible()
    visit.check_narrow_too("agency")
    page.get_by_label("Name").fill("Camden Council ASB team")
    page.get_by_role("button", name="Save the name").click()
    expect(page.locator("#agencies")).to_contain_text("Camden Council ASB team")

    page.goto(f"{base}/force-admin/staff/new")
    page.get_by_label("Full name").fill("Sam Council")
    page.get_by_label("Work email address").fill(f"sam-{uuid.uuid4().hex[:6]}@camden.example")
    page.get_by_label("Partner agency officer").check()
    page.get_by_role("button", name="Create the account and send the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the agency")
    visit.check("partner-errors")
    page.get_by_label("Agency (partner accounts only)").select_option(
        label="Camden Council ASB team"
    )
    page.get_by_role("button", name="Create the account and send the link").click()
    row = page.locator("tr", has_text="Sam Council")
    expect(row).to_contain_text("Partner agency officer")

    # A partner of the agency (made as the set-up link would leave it) signs in.
    with identity_context(stack) as ctx:
        [agency] = agencies.list_agencies(ctx, admin.tenant)
        partner = make_account(ctx, admin.tenant, "partner", "Pat Partner", agency.agency_id)
    assert agency.name == "Camden Council ASB team"
    theirs = browsers[1].new_page()
    seen = Visit(theirs, "partner")
    sign_in(theirs, base, partner, "/sign-in")
    expect(
        theirs.get_by_role("heading", name="You act for Camden Council ASB team")
    ).to_be_visible()
    assert theirs.url.endswith("/partner")
    expect(theirs.get_by_role("navigation", name="Menu")).to_contain_text("Your agency")
    seen.check_narrow_too("console")
    # The force admin's pages are not a partner's: refused, with none of their content.
    refused = theirs.goto(f"{base}/force-admin/agencies")
    assert refused is not None and refused.status == 403
    theirs.close()

    page.goto(f"{base}/force-admin/agencies/{agency.agency_id}")
    page.get_by_role("button", name="Retire the agency").click()
    expect(page.get_by_role("heading", name="Retire Camden Council ASB team?")).to_be_visible()
    visit.check("retire-confirm")
    page.get_by_role("button", name="Retire the agency").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The agency is retired")
    expect(page.locator("#agencies [data-status]")).to_have_text("Retired")
    visit.check("retired")
    page.close()
