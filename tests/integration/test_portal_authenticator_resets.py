"""Resetting a staff member's authenticator through the portal over plain HTTP, against the
real stack: one admin asks on a page that names what will happen; the force's staff list shows
the reset waiting; the admin who asked is refused the approval in the error summary and nothing
changes; a second admin approves behind a confirmation; the officer's sessions end, the mail
reaches them, and their next sign-in must set up an authenticator. The last administrator's
refusal is shown in words."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from snp_identity.service_layer.context import IdentityContext
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.messaging_helpers import body_text, mails_to, wait_until
from tests.integration.portal_people import (
    Account,
    make_account,
    new_force,
    portal_client,
    post_password,
    sign_in,
)
from tests.integration.test_portal_force_admin import confirm_token, row_of

pytestmark = pytest.mark.integration
REASON = "Lost phone and recovery codes; identity checked in person"


@pytest.fixture(scope="module")
def ctx(stack: Any) -> Iterator[IdentityContext]:
    with identity_context(stack) as context:
        yield context


@contextmanager
def console(stack: Any, admin: Account) -> Iterator[httpx.Client]:
    with portal_client(stack) as client:
        assert sign_in(client, admin, "/force-admin").status_code == 303
        yield client


def summary(page: httpx.Response) -> str:
    found = re.search(r'class="govuk-error-summary".*?</div>\s*</div>', page.text, re.S)
    assert found, page.text[:3000]
    return html.unescape(found.group(0))


def test_one_admin_asks_a_second_approves_and_the_officer_enrols_again(
    stack: Any, ctx: IdentityContext
) -> None:
    force = new_force(ctx)
    first = make_account(ctx, force, "tenant_admin", "Avery First")
    second = make_account(ctx, force, "tenant_admin", "Blake Second")
    officer = make_account(ctx, force, "police", "PC Lost Phone")
    with (
        console(stack, first) as asker,
        console(stack, second) as approver,
        portal_client(stack) as officers,
    ):
        assert sign_in(officers, officer).status_code == 303
        assert officers.get("/account").status_code == 200
        page = f"/force-admin/staff/{officer.account_id}"
        account = asker.get(page)
        assert f"{page}/reset-authenticator" in account.text
        own = asker.get(f"/force-admin/staff/{first.account_id}")
        assert "/reset-authenticator" not in own.text
        assert (
            asker.get(f"/force-admin/staff/{first.account_id}/reset-authenticator").status_code
            == 404
        )

        ask = asker.get(f"{page}/reset-authenticator")
        assert ask.status_code == 200
        assert "another administrator of the force must approve" in ask.text
        assert "signed out everywhere" in ask.text
        token = confirm_token(ask, f"{page}/reset-authenticator")
        empty = asker.post(f"{page}/reset-authenticator", data={"csrf_token": token})
        assert empty.status_code == 400 and "Enter why the reset is needed" in summary(empty)
        assert asker.post(f"{page}/reset-authenticator", data={"reason": REASON}).status_code == 403
        asked = asker.post(
            f"{page}/reset-authenticator", data={"csrf_token": token, "reason": REASON}
        )
        assert asked.status_code == 303, asked.text
        shown = asker.get(asked.headers["location"])
        assert "The reset is asked for." in shown.text
        assert "You asked for this reset" in shown.text and "/approve" not in shown.text

        # The staff list shows it waiting, with who asked and why, to either admin.
        listed = approver.get("/force-admin/staff")
        waiting = listed.text.split('id="waiting-resets"', 1)[1].split("</ul>", 1)[0]
        assert "PC Lost Phone" in waiting and "Avery First" in waiting
        assert html.escape(REASON, quote=True) in waiting or REASON in html.unescape(waiting)
        assert 'data-reset="waiting"' in row_of(listed.text, officer.account_id)

        # The admin who asked is refused in words, and nothing changes.
        request_id = re.search(
            r"reset-authenticator/([0-9a-f-]{36})/approve", approver.get(page).text
        )
        assert request_id, "the second admin is offered the approval"
        approve = f"{page}/reset-authenticator/{request_id.group(1)}/approve"
        mine = asker.get(approve)
        refused = asker.post(approve, data={"csrf_token": confirm_token(mine, approve)})
        assert refused.status_code == 403
        assert "You asked for this reset, so another administrator" in summary(refused)
        row = row_of(approver.get("/force-admin/staff").text, officer.account_id)
        assert 'data-authenticator="enrolled"' in row
        assert officers.get("/account").status_code == 200

        # The second admin approves behind the confirmation that says what happens.
        confirm = approver.get(approve)
        assert (
            "stop working at once" in confirm.text and "Avery First asked for it." in confirm.text
        )
        done = approver.post(approve, data={"csrf_token": confirm_token(confirm, approve)})
        assert done.status_code == 303, done.text
        assert "The authenticator app is reset." in approver.get(done.headers["location"]).text
        row = row_of(approver.get("/force-admin/staff").text, officer.account_id)
        assert 'data-authenticator="none"' in row and 'data-reset="waiting"' not in row
        assert approver.get(approve).status_code == 404  # nothing waits any more

        # The officer's session is over (refused within seconds, as revocations spread).
        wait_until(
            lambda: officers.get("/account").status_code in (303, 307),
            30,
            "the officer's portal session ended",
        )

    # The mail, as the officer reads it.
    wait_until(lambda: bool(mails_to(stack.maildir, officer.email)), what="the reset mail")
    (mail,) = mails_to(stack.maildir, officer.email)
    assert mail["Subject"] == "Your authenticator app was reset"
    text = body_text(mail)
    assert "reset the authenticator app of your" in text and "signed out everywhere" in text
    assert "tell your force's administrators" in text

    # The next sign-in asks for the password only and sends them to set up an authenticator.
    with portal_client(stack) as again:
        signed = post_password(again, officer, PASSWORD, "/staff/second-factor")
        assert signed.status_code == 303, signed.text
        assert "Set up your authenticator app" in again.get("/staff/second-factor").text


def test_a_rejected_reset_changes_nothing(stack: Any, ctx: IdentityContext) -> None:
    force = new_force(ctx)
    first = make_account(ctx, force, "tenant_admin", "Casey First")
    second = make_account(ctx, force, "tenant_admin", "Drew Second")
    auditor = make_account(ctx, force, "auditor", "Sam Auditor")
    page = f"/force-admin/staff/{auditor.account_id}"
    with console(stack, first) as asker, console(stack, second) as decider:
        ask = asker.get(f"{page}/reset-authenticator")
        token = confirm_token(ask, f"{page}/reset-authenticator")
        assert (
            asker.post(
                f"{page}/reset-authenticator", data={"csrf_token": token, "reason": "New phone"}
            ).status_code
            == 303
        )
        found = re.search(r"reset-authenticator/([0-9a-f-]{36})/reject", decider.get(page).text)
        assert found
        reject = f"{page}/reset-authenticator/{found.group(1)}/reject"
        confirm = decider.get(reject)
        assert "nothing about Sam Auditor's account changes" in html.unescape(confirm.text)
        done = decider.post(reject, data={"csrf_token": confirm_token(confirm, reject)})
        assert done.status_code == 303
        assert "The reset is rejected." in decider.get(done.headers["location"]).text
        row = row_of(decider.get("/force-admin/staff").text, auditor.account_id)
        assert 'data-authenticator="enrolled"' in row and 'data-reset="waiting"' not in row


def test_the_last_administrator_refusal_is_shown_in_words(stack: Any, ctx: IdentityContext) -> None:
    """The force's only administrator asks to erase their own account: identity's 409 is the
    error summary's words, and the account stays."""
    force = new_force(ctx)
    only = make_account(ctx, force, "tenant_admin", "Only Admin")
    with console(stack, only) as mine:
        form = mine.get("/account/erase")
        token = confirm_token(form, "/account/erase")
        refused = mine.post("/account/erase", data={"csrf_token": token, "confirm": "yes"})
        assert refused.status_code == 409
        words = summary(refused)
        assert "last active administrator" in words and "Make another administrator" in words
        listed = mine.get("/force-admin/staff")
        assert listed.status_code == 200
        assert 'data-status="active"' in row_of(listed.text, only.account_id)
