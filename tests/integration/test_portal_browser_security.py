"""Account security in Debian's headless Chromium: a member sets up an authenticator from the
QR page's text secret, downloads the recovery codes, signs out and in with a code, then with a
recovery code, resets a forgotten password from the mail's link and signs out everywhere.
axe-core finds no violation on any page visited (see test_portal_browser.Visit)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest

from snp_stack import toolbox
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.messaging_helpers import body_text, mails_to, wait_until
from tests.integration.portal_people import Account, make_account, new_force, portal_url
from tests.integration.security_helpers import forget_address_throttles
from tests.integration.test_portal_browser import SHOTS, Visit, chromium

pytestmark = pytest.mark.integration
NEW_PASSWORD = "lantern orchard pebble 73"


@pytest.fixture(scope="module")
def browser(stack: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running, accept_downloads=True) as context:
        yield context


@pytest.fixture(scope="module")
def member(stack: Any) -> Account:
    forget_address_throttles(stack)
    with identity_context(stack) as ctx:
        return make_account(ctx, new_force(ctx), "member", "Kit Marlowe")


def _password_step(page: Any, who: Account, password: str = PASSWORD) -> None:
    page.get_by_label("Your police force").fill(who.tenant)
    page.get_by_label("Email address").fill(who.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def _code_step(page: Any, code: str) -> None:
    page.wait_for_url("**/sign-in/code**")
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_a_member_secures_and_recovers_their_account(
    stack: Any, browser: Any, member: Account
) -> None:
    from playwright.sync_api import expect

    base = portal_url(stack)
    page = browser.new_page()
    visit = Visit(page, "security")
    page.goto(f"{base}/account")
    _password_step(page, member)
    expect(page.get_by_role("heading", name="Security")).to_be_visible()
    visit.check("account-security")

    page.get_by_role("link", name="Set up your authenticator app").click()
    assert page.title().startswith("Set up an authenticator app")
    visit.check("authenticator-intro")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    visit.check("authenticator-qr")
    totp = pyotp.TOTP(page.inner_text("#secret-key").replace(" ", ""))
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#code-error")).to_be_visible()
    visit.check("authenticator-wrong-code")
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{base}/account/recovery-codes")
    expect(page.locator(".snp-recovery-codes code")).to_have_count(10)
    codes = page.locator(".snp-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    visit.check("recovery-codes")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download your recovery codes (text file)").click()
    saved = downloading.value.path().read_text()
    assert all(code in saved for code in codes)
    page.get_by_role("link", name="I have saved my codes: back to your account").click()
    assert "From your authenticator app" in page.inner_text("main")
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.goto(f"{base}/sign-in")
    _password_step(page, member)
    visit.check("code-step")
    _code_step(page, totp.at(time.time() + 30))
    page.wait_for_url(f"{base}/account")
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.goto(f"{base}/sign-in")
    _password_step(page, member)
    _code_step(page, codes[0])
    page.wait_for_url(f"{base}/account/recovered**")
    assert "You have 9 recovery codes left" in page.inner_text("main")
    visit.check("recovered")
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(f"{base}/account")
    page.get_by_role("link", name="Change your password").click()
    visit.check("change-password")
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.goto(f"{base}/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    visit.check("forgot-password")
    page.get_by_label("Your police force").fill(member.tenant)
    page.get_by_label("Email address").fill(member.email)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url(f"{base}/forgot-password/sent")  # identity takes 0.3 s whoever asks
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    visit.check("forgot-password-sent")
    wait_until(lambda: bool(mails_to(stack.maildir, member.email)), what="the reset mail")
    (mail,) = mails_to(stack.maildir, member.email)
    link = re.search(r"(http://\S+/reset-password/[A-Za-z0-9_-]+)\s", body_text(mail))
    assert link, body_text(mail)
    page.goto(link.group(1))
    visit.check("reset-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill("not the same password")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#confirm_password-error")).to_be_visible()
    visit.check("reset-password-mismatch")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    visit.check("reset-password-done")
    page.goto(link.group(1))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD + "!")
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="This link has already been used")).to_be_visible()
    visit.check("reset-link-used")

    page.goto(f"{base}/sign-in")
    _password_step(page, member, NEW_PASSWORD)
    _code_step(page, codes[1])
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_role("heading", name="You have signed out everywhere")).to_be_visible()
    visit.check("signed-out-everywhere")
    page.goto(f"{base}/account")
    assert "/sign-in" in page.url
    page.close()
