"""Ward priorities in Debian's headless Chromium against the real stack: a panel's chair adds
priorities (after the form's error state) and moves one up; a police officer, in another
browser, records an action from the force's group page; the chair marks it not delivered (after
the missing comment's error), publishes behind the confirmation page, and the ward's public
page shows it to a visitor. axe-core finds no violation on any page visited (320 px too for the
plan and the public page). Screenshots in /tmp/shots-eng-portal/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import Visit, chromium, fill_sign_in
from tests.integration.engagement_world import WARD, EngagementWorld, engagement_world
from tests.integration.portal_people import Account, portal_url

pytestmark = pytest.mark.integration
SHOTS = Path("/tmp/shots-eng-portal")
PERIOD = "2027-Q1"


@pytest.fixture(scope="module")
def browsers(stack: Any) -> Iterator[tuple[Any, Any, Any]]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    with (
        sync_playwright() as running,
        chromium(running) as panels,
        chromium(running) as police,
        chromium(running) as visitors,
    ):
        yield panels, police, visitors


@pytest.fixture(scope="module")
def world(stack: Any) -> EngagementWorld:
    return engagement_world(stack)


def sign_in(page: Any, base: str, account: Account, start: str) -> None:
    page.goto(f"{base}{start}")
    fill_sign_in(page, account.tenant, account.email)
    if account.totp is not None:
        page.wait_for_url("**/sign-in/code**")
        page.get_by_label("Authenticator code").fill(account.next_code())
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{start}")


def test_a_panel_sets_priorities_police_act_and_the_ward_sees_it(
    stack: Any, browsers: tuple[Any, Any, Any], world: EngagementWorld
) -> None:
    from playwright.sync_api import expect

    base, panel = portal_url(stack), world.panel
    chair = browsers[0].new_page()
    seen = Visit(chair, "chair", SHOTS)
    sign_in(chair, base, world.account("chair"), f"/groups/{panel}")
    chair.get_by_role("link", name="Ward priorities").first.click()
    expect(chair.get_by_role("heading", name="Ward priorities", exact=True)).to_be_visible()
    chair.goto(f"{base}/groups/{panel}/priorities?period={PERIOD}")
    seen.check("empty")
    chair.get_by_role("button", name="Add the priority").click()
    expect(chair.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(chair.locator(".govuk-error-summary")).to_contain_text("Enter the priority's title")
    seen.check("add-errors")
    for title, category in (("Speeding on Mill Lane", "Road safety"), ("Drug dealing", "Drugs")):
        chair.get_by_label("Title").fill(title)
        chair.get_by_label(category).check()
        chair.get_by_role("button", name="Add the priority").click()
        # The new page, not the last one's banner: its heading names the new priority.
        expect(chair.locator("h3[id^=priority-]").last).to_contain_text(title)
        expect(chair.locator(".govuk-notification-banner")).to_contain_text("priority is added")
    chair.locator("button", has_text="Move up").click()  # only the second priority moves up
    expect(chair.locator(".govuk-notification-banner")).to_contain_text("The order is changed")
    expect(chair.locator("h3[id^=priority-]").first).to_have_text("1. Drug dealing")
    seen.check_narrow_too("two-priorities")

    police = browsers[1].new_page()
    theirs = Visit(police, "police", SHOTS)
    sign_in(police, base, world.account("police"), f"/police/groups/{panel}")
    police.get_by_role("link", name="Ward priorities").first.click()
    police.goto(f"{base}/ward-plans/{panel}?period={PERIOD}")
    expect(
        police.get_by_role("heading", name="Ward priorities: January to March 2027")
    ).to_be_visible()
    theirs.check("plan")
    # By the section: accessible names that end in visually hidden text are not matched here.
    police.locator("section", has_text="1. Drug dealing").get_by_role(
        "button", name="Record an action"
    ).click()
    theirs.check("record")
    police.get_by_role("button", name="Record the action").click()
    expect(police.locator(".govuk-error-summary")).to_contain_text("Enter what was done")
    theirs.check("record-errors")
    police.get_by_label("What was done, or is planned").fill("Weekly patrols by the north gate")
    police.get_by_label("Day").fill("12")
    police.get_by_label("Month").fill("2")
    police.get_by_label("Year").fill("2027")
    police.get_by_label("In progress").check()
    police.get_by_role("button", name="Record the action").click()
    expect(police.locator(".govuk-notification-banner")).to_contain_text("Your action is recorded")
    theirs.check_narrow_too("recorded")

    chair.reload()
    chair.locator(".govuk-summary-card__actions a", has_text="Review").click()
    seen.check("review")
    chair.get_by_label("Not delivered", exact=True).check()
    chair.get_by_role("button", name="Save the review").click()
    expect(chair.locator(".govuk-error-summary")).to_contain_text("Say why the action was not")
    seen.check("review-errors")
    chair.get_by_label("Why was it not delivered?").fill("No patrols seen after 8pm.")
    chair.get_by_role("button", name="Save the review").click()
    expect(chair.locator(".govuk-notification-banner")).to_contain_text("Your review is saved")
    chair.get_by_role("button", name="Publish").click()
    expect(
        chair.get_by_role("heading", name="Publish the priorities for January to March 2027?")
    ).to_be_visible()
    seen.check("publish-confirm")
    chair.get_by_role("button", name="Publish the priorities").click()
    expect(chair.locator(".govuk-notification-banner")).to_contain_text("published")
    seen.check("published")

    visitor = browsers[2].new_page()
    public = Visit(visitor, "public", SHOTS)
    visitor.goto(f"{base}/forces/{world.tenant}/groups?ward={WARD}")
    visitor.get_by_role("link", name="Ward priorities in Elm Park").click()
    expect(visitor.get_by_role("heading", name="Ward priorities in Elm Park")).to_be_visible()
    expect(visitor.locator("main")).to_contain_text("No patrols seen after 8pm.")
    expect(visitor.locator("main")).not_to_contain_text("Chris Chair")
    public.check_narrow_too("ward")
