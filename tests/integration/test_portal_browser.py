"""The portal in Debian's headless Chromium (driven by Playwright, never a downloaded browser):
a member and a police officer (with an authenticator) sign in, see their account and sign out;
axe-core finds no accessibility violation on any page visited; no page breaks its own CSP.
Screenshots go to .artifacts/screenshots/portal/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from snp_stack import toolbox
from snp_stack.stack import repo_root
from tests.integration.browser_pages import SHOTS, Visit, chromium, fill_sign_in
from tests.integration.membership_people import identity_context
from tests.integration.portal_people import Account, make_account, new_force, portal_url

pytestmark = pytest.mark.integration
__all__ = ["SHOTS", "Visit", "chromium"]  # shared with the other browser tests


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    toolbox.require("npm")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser_context(playwright: Any) -> Iterator[Any]:
    with chromium(playwright) as context:
        yield context


@pytest.fixture(scope="module")
def people(stack: Any) -> Iterator[dict[str, Account]]:
    with identity_context(stack) as ctx:
        tenant = new_force(ctx)
        yield {
            "member": make_account(ctx, tenant, "member", "Alex Resident"),
            "police": make_account(ctx, tenant, "police", "PC Sam Patel"),
            # Each code works once and only one step ahead counts: a second officer.
            "police2": make_account(ctx, tenant, "police", "PC Jo Evans"),
        }


def _fill_sign_in(page: Any, who: Account) -> None:
    fill_sign_in(page, who.tenant, who.email)


def test_a_member_signs_in_and_out_in_chromium(
    stack: Any, browser_context: Any, people: dict[str, Account]
) -> None:
    base, member = portal_url(stack), people["member"]
    page = browser_context.new_page()
    visit = Visit(page, "member")
    page.goto(f"{base}/account")  # not signed in: to sign-in, then back here
    assert "/sign-in?next=%2Faccount" in page.url
    visit.check("sign-in")
    page.get_by_role("button", name="Continue").click()  # empty form: the error summary
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert page.title().startswith("Error: Sign in")
    visit.check("sign-in-errors")
    _fill_sign_in(page, member)
    assert page.url == f"{base}/account"
    assert page.get_by_role("heading", name="Your account").is_visible()
    body = page.inner_text("main")
    assert "Alex Resident" in body and "Member" in body and "Test Constabulary" in body
    assert page.inner_text("header").startswith("Safer Neighbourhoods")
    assert "Test Constabulary" in page.inner_text("header")  # the force's display name
    visit.check("account")
    page.set_viewport_size({"width": 320, "height": 640})  # the layout holds at 320 px
    visit.check("account-320px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_role("button", name="Sign out", exact=True).click()
    assert page.url == f"{base}/signed-out"
    assert page.get_by_role("heading", name="You have signed out").is_visible()
    visit.check("signed-out")
    page.goto(f"{base}/account")
    assert "/sign-in" in page.url
    page.close()


def test_a_police_officer_signs_in_with_the_code_in_chromium(
    stack: Any, browser_context: Any, people: dict[str, Account]
) -> None:
    base, police = portal_url(stack), people["police"]
    page = browser_context.new_page()
    visit = Visit(page, "police")
    page.goto(f"{base}/sign-in")
    _fill_sign_in(page, police)
    assert "/sign-in/code" in page.url
    visit.check("code")
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    error = page.locator(".govuk-error-summary").inner_text()
    assert "The code is not right or has already been used" in error
    assert page.locator("#code-error").is_visible()
    visit.check("wrong-code")
    page.get_by_label("Authenticator code").fill(police.next_code())
    page.get_by_role("button", name="Sign in").click()
    assert page.url == f"{base}/police/groups"  # a staff account lands on its console
    page.get_by_role("link", name="Your account").click()
    assert page.url == f"{base}/account"
    body = page.inner_text("main")
    assert "PC Sam Patel" in body and "Police officer" in body and "In use" in body
    visit.check("account")
    page.get_by_role("button", name="Sign out", exact=True).click()
    assert page.get_by_role("heading", name="You have signed out").is_visible()
    visit.check("signed-out")
    page.close()


def test_sign_in_works_without_javascript(
    stack: Any, people: dict[str, Account], playwright: Any
) -> None:
    base, police = portal_url(stack), people["police2"]
    with chromium(playwright, java_script_enabled=False) as context:
        page = context.new_page()
        page.goto(f"{base}/account")
        _fill_sign_in(page, police)
        page.get_by_label("Authenticator code").fill(police.next_code())
        page.get_by_role("button", name="Sign in").click()
        assert page.url == f"{base}/account"
        assert "PC Jo Evans" in page.inner_text("main")
        page.screenshot(path=str(SHOTS / "nojs-account.png"), full_page=True)
        page.get_by_role("button", name="Sign out", exact=True).click()
        assert page.url == f"{base}/signed-out"


def test_screenshots_folder_is_git_ignored() -> None:
    ignored = (repo_root() / ".gitignore").read_text().splitlines()
    assert ".artifacts/" in ignored
    assert Path(SHOTS).is_relative_to(repo_root() / ".artifacts")
