"""The neighbour's part of the joining journey, in their own browser: register with the force,
set up an authenticator from the setup key the QR page shows, find the group and ask to join;
once admitted, find the coordinator's message in the mail and in the inbox, follow the mail's
link (signing in with a code on the way) to the document, and leave the group. Every page is
checked wide and again 320 px wide."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from e2e.authenticator import Authenticator
from e2e.journey import SHOTS, Journey
from e2e.people_at_once import own_chromium
from tests.integration.browser_pages import Visit, fill_sign_in
from tests.integration.messaging_helpers import body_text, mails_to
from tests.integration.portal_account_world import wait_until


def neighbour_part(journey: Journey) -> None:
    with own_chromium(accept_downloads=True) as context:
        page = context.new_page()
        visit = Visit(page, "neighbour", SHOTS)
        _register(page, visit, journey)
        authenticator = _set_up_authenticator(page, visit)
        _ask_to_join(page, visit, journey)
        journey.handoff.wait_for("admitted")
        _see_the_group(page, visit, journey)
        subject, link, _message_id = journey.handoff.wait_for("messaged")
        assert _link_in_the_mail(journey, subject) == link
        _read_the_inbox(page, visit, journey, subject)
        page.get_by_role("button", name="Sign out", exact=True).click()
        expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
        visit.check_narrow_too("signed-out")
        _open_the_mail_link(page, visit, journey, link, authenticator)
        _leave(page, visit, journey)
        journey.handoff.tell("left")


def menu(page: Any, item: str) -> None:
    """A link in the portal's service navigation (the header's menu)."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=item, exact=True).click()


def _register(page: Any, visit: Visit, journey: Journey) -> None:
    base, neighbour = journey.base, journey.neighbour
    page.goto(f"{base}/")
    visit.check_narrow_too("choose-force")
    page.get_by_label("Your police force's short name").fill(journey.tenant)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/forces/{journey.tenant}")
    visit.check_narrow_too("force-home")
    page.get_by_role("link", name=f"Create an account with {journey.force_name}").click()
    visit.check_narrow_too("register")
    page.get_by_label("Your name").fill(neighbour.name)
    page.get_by_label("Email address").fill(neighbour.email)
    page.get_by_label("Create a password").fill(neighbour.password)
    page.get_by_label("Confirm your password").fill(neighbour.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("main")).to_contain_text("Your account has been created")
    visit.check_narrow_too("registered")


def _set_up_authenticator(page: Any, visit: Visit) -> Authenticator:
    menu(page, "Your account")
    visit.check_narrow_too("account")
    page.get_by_role("link", name="Set up your authenticator app").click()
    visit.check_narrow_too("authenticator-intro")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("img", name="QR code to scan with your authenticator app").wait_for()
    visit.check_narrow_too("authenticator-qr")
    # The key as the page shows it for typing into an app; the app ignores its spaces.
    authenticator = Authenticator(page.inner_text("#secret-key"))
    page.get_by_label("Code from your authenticator app").fill(authenticator.code())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/recovery-codes")
    expect(page.locator(".snp-recovery-codes code")).to_have_count(10)
    visit.check_narrow_too("recovery-codes")
    page.get_by_role("link", name="I have saved my codes: back to your account").click()
    expect(page.locator("main")).to_contain_text("From your authenticator app")
    return authenticator


def _ask_to_join(page: Any, visit: Visit, journey: Journey) -> None:
    journey.handoff.wait_for("group founded")
    menu(page, "Find a group")
    page.get_by_label("Ward").fill("millbrook")
    page.get_by_role("button", name="Search").click()
    visit.check_narrow_too("find-results")
    page.get_by_role("link", name=journey.group_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(journey.group_name)
    visit.check_narrow_too("group-public")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.locator("main")).to_contain_text("Your request to join has been sent.")
    visit.check_narrow_too("asked-to-join")
    journey.handoff.tell("asked to join")


def _see_the_group(page: Any, visit: Visit, journey: Journey) -> None:
    menu(page, "Your groups")
    visit.check_narrow_too("your-groups")
    page.get_by_role("link", name=journey.group_name).click()
    expect(page.get_by_role("button", name="Leave the group")).to_be_visible()
    visit.check_narrow_too("group")


def _link_in_the_mail(journey: Journey, subject: str) -> str:
    """The plain-text mail the sink holds for the neighbour, and the portal link on a line of
    its own in it (what a reader's mail program makes clickable)."""
    address = journey.neighbour.email
    mails = wait_until(
        lambda: [m for m in mails_to(journey.stack.maildir, address) if m["Subject"] == subject],
        timeout=120,
        what="the message's mail to the neighbour",
    )
    (mail,) = mails
    assert mail.get_body(preferencelist=("plain",)) is not None
    lines = body_text(mail).splitlines()
    assert any(journey.group_name in line for line in lines)
    links = [line.strip() for line in lines if line.strip().startswith(journey.base)]
    assert len(links) == 1, lines
    assert re.fullmatch(rf"{re.escape(journey.base)}/documents/[0-9a-f-]+", links[0])
    return links[0]


def _read_the_inbox(page: Any, visit: Visit, journey: Journey, subject: str) -> None:
    menu(page, "Messages")
    visit.check_narrow_too("inbox")
    page.get_by_role("link", name=subject).click()
    expect(page.get_by_role("heading", name=subject)).to_be_visible()
    expect(page.locator("main")).to_contain_text(journey.coordinator.name)
    visit.check_narrow_too("inbox-message")


def _open_the_mail_link(
    page: Any, visit: Visit, journey: Journey, link: str, authenticator: Authenticator
) -> None:
    path = link.removeprefix(journey.base)
    page.goto(link)  # signed out: sign in first, then on to the document
    assert page.url.endswith("/sign-in?next=" + path.replace("/", "%2F"))
    visit.check_narrow_too("mail-link-sign-in")
    fill_sign_in(page, journey.tenant, journey.neighbour.email, journey.neighbour.password)
    page.wait_for_url("**/sign-in/code**")
    visit.check_narrow_too("mail-link-code")
    page.get_by_label("Authenticator code").fill(authenticator.code())
    with page.expect_download() as arriving:
        page.get_by_role("button", name="Sign in").click()
    download = arriving.value
    assert download.url == link  # it landed on the document the mail named
    assert download.suggested_filename == journey.document.name
    assert Path(download.path()).read_bytes() == journey.document.read_bytes()


def _leave(page: Any, visit: Visit, journey: Journey) -> None:
    # The download left the page on the code step as it was before signing in: go on afresh.
    page.goto(f"{journey.base}/groups")
    page.get_by_role("link", name=journey.group_name).click()
    page.get_by_role("button", name="Leave the group").click()
    expect(page.get_by_role("heading", name="Are you sure you want to leave")).to_be_visible()
    visit.check_narrow_too("leave-confirm")
    page.get_by_role("button", name="Leave the group").click()
    expect(page.locator("main")).to_contain_text(f"You have left {journey.group_name}.")
    visit.check_narrow_too("left")
