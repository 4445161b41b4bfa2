"""The members' vote in Debian's headless Chromium against the real stack: a plain member
suggests a priority (after the form's error state) and votes; the chair, in another browser,
suggests one too, votes, sees the counts, closes the vote and makes the winner a priority.
axe-core finds no violation on any page visited (320 px too for the vote pages). Screenshots in
/tmp/shots-vote/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import Visit, chromium
from tests.integration.engagement_world import EngagementWorld, engagement_world
from tests.integration.portal_people import portal_url
from tests.integration.test_portal_browser_engagement import sign_in

pytestmark = pytest.mark.integration
SHOTS = Path("/tmp/shots-vote")
PERIOD = "2027-Q4"


@pytest.fixture(scope="module")
def browsers(stack: Any) -> Iterator[tuple[Any, Any]]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    with sync_playwright() as running, chromium(running) as members, chromium(running) as chairs:
        yield members, chairs


@pytest.fixture(scope="module")
def world(stack: Any) -> EngagementWorld:
    return engagement_world(stack)


def test_members_vote_and_the_chair_decides_in_the_browser(
    stack: Any, browsers: tuple[Any, Any], world: EngagementWorld
) -> None:
    from playwright.sync_api import expect

    base = portal_url(stack)
    vote = f"/groups/{world.panel}/priorities/vote?period={PERIOD}"
    member = browsers[0].new_page()
    mine = Visit(member, "member", SHOTS)
    sign_in(
        member, base, world.account("plain"), f"/groups/{world.panel}/priorities?period={PERIOD}"
    )
    member.get_by_role(
        "link", name="Members' vote on the priorities for October to December 2027"
    ).click()
    expect(member.locator("#no-suggestions")).to_be_visible()
    mine.check("empty")
    member.get_by_role("button", name="Suggest it").click()
    expect(member.locator(".govuk-error-summary")).to_contain_text("Enter the priority's title")
    mine.check("suggest-errors")
    member.get_by_label("Title").fill("Speeding on Mill Lane")
    member.get_by_label("Road safety").check()
    member.get_by_role("button", name="Suggest it").click()
    expect(member.locator(".govuk-notification-banner")).to_contain_text("Your suggestion")

    chair = browsers[1].new_page()
    theirs = Visit(chair, "chair", SHOTS)
    sign_in(chair, base, world.account("chair"), vote)
    chair.get_by_label("Title").fill("Litter by the shops")
    chair.get_by_label("Other", exact=True).check()
    chair.get_by_role("button", name="Suggest it").click()
    expect(chair.locator(".govuk-notification-banner")).to_contain_text("Your suggestion")
    chair.get_by_label("Speeding on Mill Lane").check()
    chair.get_by_role("button", name="Vote", exact=True).click()
    expect(chair.locator("#my-vote")).to_contain_text("Speeding on Mill Lane")

    member.reload()
    member.get_by_role("button", name="Vote", exact=True).click()
    expect(member.locator(".govuk-error-summary")).to_contain_text("Select the priority")
    member.get_by_label("Speeding on Mill Lane").check()
    member.get_by_role("button", name="Vote", exact=True).click()
    expect(member.locator("#my-vote")).to_contain_text("You voted for Speeding on Mill Lane")
    expect(member.locator("#results")).to_have_count(0)
    mine.check_narrow_too("voted")

    chair.reload()
    expect(chair.locator("#results")).to_be_visible()
    expect(chair.locator("table")).to_contain_text("2 members have voted")
    theirs.check_narrow_too("counts")
    chair.get_by_role("button", name="Close the vote").click()
    expect(chair.locator(".govuk-notification-banner")).to_contain_text("The vote is closed")
    theirs.check("closed")
    winner = chair.locator("tr", has_text="Speeding on Mill Lane")
    winner.get_by_role("button", name="Make it a priority").click()
    expect(chair.locator(".govuk-notification-banner")).to_contain_text("now one of the panel")
    theirs.check("adopted")
    chair.get_by_role(
        "link", name="See the panel's priorities for October to December 2027"
    ).click()
    expect(chair.locator("h3[id^=priority-]").first).to_have_text("1. Speeding on Mill Lane")
    theirs.check("plan")
