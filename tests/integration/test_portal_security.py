"""The portal's account-security journeys over plain HTTP against the real stack: set up and
replace an authenticator, recovery codes shown once, change password, sign out everywhere,
reset a forgotten password from the mailed link; bad input, CSRF, and forged posts refused by
identity rather than by the portal."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pyotp
import pytest

from snp_identity.service_layer.context import IdentityContext
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.portal_people import (
    Account,
    csrf_of,
    make_account,
    new_force,
    portal_client,
    post_code,
    post_password,
    signed_in,
)
from tests.integration.security_helpers import forget_address_throttles, reset_tokens

pytestmark = pytest.mark.integration
NEW_PASSWORD = "lantern orchard pebble 73"
SECRET = re.compile(r'id="secret-key">([A-Z2-7 ]+)<')
CODE = re.compile(r"<code>([a-z0-9-]{19})</code>")
DOWNLOAD = re.compile(r'href="(/account/recovery-codes/[^"]+/recovery-codes\.txt)"')


@pytest.fixture(scope="module")
def ctx(stack: Any) -> Iterator[IdentityContext]:
    with identity_context(stack) as context:
        yield context


@pytest.fixture
def member(ctx: IdentityContext, stack: Any) -> Account:
    forget_address_throttles(stack)
    return make_account(ctx, new_force(ctx), "member", "Morgan Vale")


def sign_in_with_code(
    portal: httpx.Client, who: Account, code: str, password: str = PASSWORD
) -> httpx.Response:
    first = post_password(portal, who, password)
    assert first.status_code == 303 and first.headers["location"].startswith("/sign-in/code")
    return post_code(portal, first.headers["location"], code)


def post_form(portal: httpx.Client, page_path: str, action: str, **data: str) -> httpx.Response:
    page = portal.get(page_path)
    assert page.status_code == 200, page.text
    return portal.post(action, data={"csrf_token": csrf_of(page), **data})


def set_up_authenticator(portal: httpx.Client) -> tuple[pyotp.TOTP, list[str]]:
    started = post_form(portal, "/account/authenticator", "/account/authenticator")
    assert started.status_code == 303 and started.headers["location"] == "/account/authenticator"
    scan = portal.get("/account/authenticator")
    found = SECRET.search(scan.text)
    assert found, scan.text
    totp = pyotp.TOTP(found.group(1).replace(" ", ""))
    done = portal.post(
        "/account/authenticator/confirm", data={"csrf_token": csrf_of(scan), "code": totp.now()}
    )
    assert done.status_code == 303 and done.headers["location"] == "/account/recovery-codes"
    shown = portal.get("/account/recovery-codes")
    return totp, CODE.findall(shown.text)


def expire_access(stack: Any, portal: httpx.Client) -> None:
    """The portal refreshes at its next page: what a session does within 15 minutes anyway."""
    with psycopg.connect(stack.service_database_url("portal")) as conn:
        conn.execute(
            "UPDATE portal_sessions SET access_expires_at = now() WHERE session_id = %s",
            (portal.cookies["snp_session"],),
        )


def test_set_up_an_authenticator_from_the_qr_page_and_get_codes_once(
    stack: Any, member: Account
) -> None:
    with signed_in(stack, member) as portal:
        account = portal.get("/account")
        assert '<h2 class="govuk-heading-m">Security</h2>' in account.text
        assert 'href="/account/authenticator"' in account.text and "Set up" in account.text
        intro = portal.get("/account/authenticator")
        assert "<title>Set up an authenticator app" in intro.text
        post_form(portal, "/account/authenticator", "/account/authenticator")
        scan = portal.get("/account/authenticator")
        assert '<svg role="img"' in scan.text and "<title>QR code" in scan.text
        assert "data:" not in scan.text  # the CSP's img-src 'self' would refuse a data: image
        secret = SECRET.search(scan.text)
        assert secret and re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret.group(1))
        totp = pyotp.TOTP(secret.group(1).replace(" ", ""))

        def confirm(code: str) -> httpx.Response:
            page = portal.get("/account/authenticator")
            return portal.post(
                "/account/authenticator/confirm", data={"csrf_token": csrf_of(page), "code": code}
            )

        empty, letters = confirm(""), confirm("abcdef")
        wrong = confirm(f"{(int(totp.now()) + 1) % 1_000_000:06d}")
        assert (empty.status_code, letters.status_code, wrong.status_code) == (400, 400, 400)
        assert "Enter the 6-digit code from your app" in empty.text
        assert "govuk-error-summary" in wrong.text and "The code is not right" in wrong.text
        assert "<title>Error: Scan the QR code" in wrong.text
        assert "Not set up" in portal.get("/account").text  # nothing changed

        done = confirm(totp.now())
        assert done.status_code == 303 and done.headers["location"] == "/account/recovery-codes"
        shown = portal.get("/account/recovery-codes")
        codes = CODE.findall(shown.text)
        assert len(codes) == 10 and "only time these codes are shown" in shown.text
        link = DOWNLOAD.search(shown.text)
        assert link
        downloaded = portal.get(link.group(1))
        assert downloaded.status_code == 200
        assert downloaded.headers["content-type"].startswith("text/plain")
        assert downloaded.headers["cache-control"] == "no-store"
        assert "attachment" in downloaded.headers["content-disposition"]
        assert all(code in downloaded.text for code in codes)
        assert portal.get(link.group(1)).status_code == 404  # once
        again = portal.get("/account/recovery-codes")
        assert not CODE.findall(again.text) and "10 recovery codes left" in again.text
    with portal_client(stack) as stranger:
        assert stranger.get(link.group(1)).status_code == 303  # to sign-in, nothing leaks


def test_a_recovery_code_leads_to_a_new_authenticator(stack: Any, member: Account) -> None:
    with signed_in(stack, member) as portal:
        old, codes = set_up_authenticator(portal)
    with portal_client(stack) as portal:
        signed = sign_in_with_code(portal, member, codes[0])
        assert signed.status_code == 303
        assert signed.headers["location"] == "/account/recovered?next=%2Fhome"
        page = portal.get(signed.headers["location"])
        assert "You have 9 recovery codes left" in page.text
        assert '<a class="govuk-link" href="/home">Continue</a>' in page.text
        started = portal.post("/account/authenticator", data={"csrf_token": csrf_of(page)})
        assert started.status_code == 303
        scan = portal.get("/account/authenticator")
        assert "your old one keeps working" in scan.text
        secret = SECRET.search(scan.text)
        assert secret
        new = pyotp.TOTP(secret.group(1).replace(" ", ""))
        done = portal.post(
            "/account/authenticator/confirm", data={"csrf_token": csrf_of(scan), "code": new.now()}
        )
        assert done.status_code == 303
        assert len(CODE.findall(portal.get("/account/recovery-codes").text)) == 10
    with portal_client(stack) as portal:
        refused = sign_in_with_code(portal, member, old.at(time.time() + 30))
        assert refused.status_code == 401 and "The code is not right" in refused.text
        signed = sign_in_with_code(portal, member, new.at(time.time() + 30))
        assert signed.status_code == 303 and signed.headers["location"] == "/home"


def test_a_code_already_used_has_its_own_words(stack: Any, member: Account) -> None:
    with signed_in(stack, member) as portal:
        totp, _codes = set_up_authenticator(portal)
    code = totp.at(time.time() + 30)
    with portal_client(stack) as portal:
        assert sign_in_with_code(portal, member, code).status_code == 303
    with portal_client(stack) as portal:
        again = sign_in_with_code(portal, member, code)
    assert again.status_code == 401
    assert "That code has already been used. Wait for your app to show a new code" in again.text


def test_a_password_session_cannot_replace_the_authenticator_identity_refuses_it(
    stack: Any, member: Account
) -> None:
    """The portal offers "Replace" to everyone; identity's policy is what refuses a session
    that never passed the second factor (here: one from before the app was set up)."""
    with signed_in(stack, member) as before, signed_in(stack, member) as setting_up:
        set_up_authenticator(setting_up)
        forged = post_form(before, "/account", "/account/authenticator")
        assert forged.status_code == 403 and "sign in again" in forged.text
        renew = post_form(before, "/account", "/account/recovery-codes")
        assert renew.status_code == 403 and "text/html" in renew.headers["content-type"]


def test_change_password_refuses_bad_input_then_signs_out_elsewhere(
    stack: Any, member: Account
) -> None:
    with signed_in(stack, member) as portal, signed_in(stack, member) as elsewhere:

        def change(current: str, new: str, confirm: str) -> httpx.Response:
            return post_form(
                portal,
                "/account/password",
                "/account/password",
                current_password=current,
                new_password=new,
                confirm_password=confirm,
            )

        cases = [
            (("", NEW_PASSWORD, NEW_PASSWORD), "Enter your current password"),
            ((PASSWORD, "", ""), "Enter a new password"),
            ((PASSWORD, "short", "short"), "Password must be 12 characters or more"),
            ((PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!"), "The passwords do not match"),
            ((PASSWORD, "password1234", "password1234"), "Password is too common"),
            (("wrong password here", NEW_PASSWORD, NEW_PASSWORD), "current password is not"),
        ]
        for fields, message in cases:
            refused = change(*fields)
            assert refused.status_code == 400, (fields, refused.text)
            assert "govuk-error-summary" in refused.text and message in refused.text
        done = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
        assert done.status_code == 303 and done.headers["location"] == "/account/password/changed"
        said = portal.get("/account/password/changed")
        assert "Your password has been changed" in said.text and "15 minutes" in said.text
        expire_access(stack, portal)
        assert portal.get("/account").status_code == 200  # this session goes on
        expire_access(stack, elsewhere)
        gone = elsewhere.get("/account")
        assert gone.status_code == 303 and gone.headers["location"].startswith("/sign-in")


def test_sign_out_everywhere(stack: Any, member: Account) -> None:
    with signed_in(stack, member) as portal, signed_in(stack, member) as elsewhere:
        account = portal.get("/account")
        assert 'action="/account/sign-out-everywhere"' in account.text
        out = portal.post("/account/sign-out-everywhere", data={"csrf_token": csrf_of(account)})
        assert out.status_code == 303 and out.headers["location"] == "/signed-out-everywhere"
        assert (
            'snp_session=""' in out.headers["set-cookie"]
            or "Max-Age=0" in out.headers["set-cookie"]
        )
        page = portal.get("/signed-out-everywhere")
        assert "You have signed out everywhere" in page.text and "15 minutes" in page.text
        assert portal.get("/account").status_code == 303
        expire_access(stack, elsewhere)
        assert elsewhere.get("/account").headers["location"].startswith("/sign-in")


def test_reset_a_forgotten_password_from_the_link(
    stack: Any, ctx: IdentityContext, member: Account
) -> None:
    with portal_client(stack) as portal:
        sign_in_page = portal.get("/sign-in")
        assert 'href="/forgot-password"' in sign_in_page.text
        empty = post_form(portal, "/forgot-password", "/forgot-password", tenant="", email="")
        assert empty.status_code == 400
        assert "Enter the short name of your police force" in empty.text
        answers = [
            post_form(
                portal, "/forgot-password", "/forgot-password", tenant=member.tenant, email=email
            )
            for email in ("nobody@nowhere.example", member.email)
        ]
        assert [a.status_code for a in answers] == [303, 303]
        assert {a.headers["location"] for a in answers} == {"/forgot-password/sent"}
        sent = portal.get("/forgot-password/sent")
        assert "If that email address has an account" in sent.text
        (token,) = reset_tokens(ctx, member.tenant, member.account_id)
        page = f"/reset-password/{token}"

        def reset(new: str, confirm: str) -> httpx.Response:
            return post_form(portal, page, page, new_password=new, confirm_password=confirm)

        assert "Choose a new password" in portal.get(page).text
        mismatch = reset(NEW_PASSWORD, "something else entirely")
        assert mismatch.status_code == 400 and "The passwords do not match" in mismatch.text
        common = reset("password1234", "password1234")
        assert common.status_code == 400 and "Password is too common" in common.text
        done = reset(NEW_PASSWORD, NEW_PASSWORD)
        assert done.status_code == 303 and done.headers["location"] == "/reset-password/done"
        assert "Your password has been changed" in portal.get("/reset-password/done").text
        used = reset(NEW_PASSWORD + "x", NEW_PASSWORD + "x")
        assert used.status_code == 410 and "This link has already been used" in used.text
        unknown = portal.get("/reset-password/" + "A" * 43)
        assert unknown.status_code == 200  # the form; identity says at the post
        expired = post_form(
            portal,
            "/reset-password/" + "A" * 43,
            "/reset-password/" + "A" * 43,
            new_password=NEW_PASSWORD,
            confirm_password=NEW_PASSWORD,
        )
        assert expired.status_code == 410 and "This link has expired" in expired.text
        assert portal.get("/reset-password/nonsense").status_code == 410
    with portal_client(stack) as portal:
        signed = post_password(portal, member, NEW_PASSWORD)
        assert signed.status_code == 303 and signed.headers["location"] == "/home"


def test_too_many_reset_requests_are_told(stack: Any, member: Account) -> None:
    with portal_client(stack) as portal:
        statuses = [
            post_form(
                portal,
                "/forgot-password",
                "/forgot-password",
                tenant=member.tenant,
                email=member.email,
            ).status_code
            for _ in range(4)
        ]
        assert statuses == [303, 303, 303, 429]
        told = post_form(
            portal, "/forgot-password", "/forgot-password", tenant=member.tenant, email=member.email
        )
        assert "Too many reset requests. Try again in 60 minutes" in told.text
        assert told.headers["retry-after"].isdigit()


@pytest.mark.parametrize(
    "path",
    [
        "/account/authenticator",
        "/account/authenticator/confirm",
        "/account/recovery-codes",
        "/account/password",
        "/account/sign-out-everywhere",
        "/forgot-password",
        "/reset-password/" + "A" * 43,
    ],
)
def test_every_security_form_needs_its_csrf_token(stack: Any, member: Account, path: str) -> None:
    with signed_in(stack, member) as portal:
        refused = portal.post(path, data={"csrf_token": "forged", "code": "123456"})
        assert refused.status_code == 403 and "Your request could not be accepted" in refused.text
        assert portal.get("/account").status_code == 200  # still signed in: nothing happened
