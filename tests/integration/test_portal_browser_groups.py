"""The group pages in Debian's headless Chromium: a coordinator admits a neighbour, appoints
and stands down an officer and changes the group's settings; a member sees the group and
leaves it, with JavaScript off. axe-core finds no violation on any page visited, and no page
breaks its CSP. Screenshots go to .artifacts/screenshots/portal/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.group_people import a_force_of
from tests.integration.membership_people import (
    PASSWORD,
    Person,
    found_group,
    join,
    membership_client,
)
from tests.integration.portal_people import Account, portal_url
from tests.integration.test_portal_browser import SHOTS, Visit, chromium, playwright

pytestmark = pytest.mark.integration
__all__ = ["playwright"]  # the Chromium fixture, shared with the sign-in journeys


class TwinVisit:
    """axe needs JavaScript: each page reached with it off is opened again, with the same
    session cookie, in a browser with it on, and checked there (GET pages only, so opening
    one again changes nothing). The page with JavaScript off is screenshotted as it is."""

    def __init__(self, page: Any, twin_context: Any, who: str) -> None:
        self.page, self.twin_context = page, twin_context
        self.twin = twin_context.new_page()
        self.visit = Visit(self.twin, who)

    def check(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{self.visit.who}-{name}.png"), full_page=True)
        self.twin_context.add_cookies(self.page.context.cookies())
        self.twin.goto(self.page.url)
        self.visit.check(name)


@pytest.fixture(scope="module")
def world(stack: Any) -> Iterator[dict[str, Any]]:
    people = a_force_of(
        stack,
        alice=("member", "Alice Lead"),
        bob=("member", "Bob Neighbour"),
        dan=("member", "Dan Asker"),
    )
    with membership_client(stack) as api:
        alice, bob, dan = (people[k][1] for k in ("alice", "bob", "dan"))
        watch = found_group(api, alice, name="Rowan Way Watch", directory="officers")
        join(api, watch, alice, bob)
        asked = api.post(f"/groups/{watch}/join-requests", headers=dan.auth)
        assert asked.status_code == 201
        yield {"people": people, "group": watch, "api": api}


def _sign_in(page: Any, who: Account) -> None:
    page.get_by_label("Your police force").fill(who.tenant)
    page.get_by_label("Email address").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def _person(world: dict[str, Any], key: str) -> tuple[Account, Person]:
    found: tuple[Account, Person] = world["people"][key]
    return found


def test_a_coordinator_admits_appoints_stands_down_and_changes_settings(
    stack: Any, playwright: Any, world: dict[str, Any]
) -> None:
    base, watch, api = portal_url(stack), world["group"], world["api"]
    alice, alice_api = _person(world, "alice")
    with chromium(playwright) as context:
        page = context.new_page()
        visit = Visit(page, "groups-officer")
        page.goto(f"{base}/groups")
        _sign_in(page, alice)
        assert page.url == f"{base}/groups"
        assert page.get_by_role("heading", name="Your groups").is_visible()
        visit.check("your-groups")
        page.get_by_role("link", name="Rowan Way Watch").click()
        assert page.get_by_role("heading", name="Rowan Way Watch").is_visible()
        visit.check("overview")
        page.get_by_role("link", name="Members", exact=True).click()
        assert page.title().startswith("Members: Rowan Way Watch")
        visit.check("members")

        page.get_by_role("button", name="Admit Dan Asker").click()
        banner = page.locator(".govuk-notification-banner").inner_text()
        assert "Dan Asker is now a member of the group." in banner
        visit.check("admitted")

        page.get_by_label("Member", exact=True).select_option(label="Bob Neighbour")
        page.get_by_label("Office", exact=True).select_option(label="Coordinator")
        page.get_by_role("button", name="Appoint").click()
        assert "Bob Neighbour is now the group's coordinator." in page.inner_text("main")
        visit.check("appointed")
        page.get_by_role("button", name="Stand down Bob Neighbour as coordinator").click()
        assert "Bob Neighbour is no longer the group's coordinator." in page.inner_text("main")
        visit.check("stood-down")

        page.get_by_role("button", name="Stand down Alice Lead as coordinator").click()
        assert page.get_by_role("heading", name="There is a problem").is_visible()
        assert "cannot stand down" in page.locator(".govuk-error-summary").inner_text()
        visit.check("last-leader-refused")

        page.goto(f"{base}/groups/{watch}/settings")
        page.get_by_label("Name").fill("")
        page.get_by_role("button", name="Save the settings").click()
        assert page.title().startswith("Error: Change the group")
        assert page.locator("#name-error").is_visible()
        visit.check("settings-error")
        page.get_by_label("Name").fill("Rowan Way Watch")
        page.get_by_label("All the group's members").check()
        page.get_by_role("button", name="Save the settings").click()
        assert "The group's settings have been saved." in page.inner_text("main")
        visit.check("settings-saved")
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(f"{base}/groups/{watch}/members")
        visit.check("members-320px")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    group = api.get(f"/groups/{watch}", headers=alice_api.auth).json()
    assert group["directory"] == "members"
    assert [o["account_id"] for o in group["officers"]] == [alice.account_id]


def test_a_member_sees_the_group_and_leaves_without_javascript(
    stack: Any, playwright: Any, world: dict[str, Any]
) -> None:
    base, watch, api = portal_url(stack), world["group"], world["api"]
    bob, _bob_api = _person(world, "bob")
    _alice, alice_api = _person(world, "alice")
    with (
        chromium(playwright, java_script_enabled=False) as context,
        chromium(playwright) as twin_context,
    ):
        page = context.new_page()
        visit = TwinVisit(page, twin_context, "groups-member-nojs")
        page.goto(f"{base}/groups/{watch}")
        _sign_in(page, bob)
        assert page.url == f"{base}/groups/{watch}"
        main = page.inner_text("main")
        assert "Alice Lead" in main and "Your role" in main
        visit.check("overview")
        page.get_by_role("link", name="Members", exact=True).click()
        visit.check("members")
        page.get_by_role("link", name="Overview").click()
        page.get_by_role("button", name="Leave the group").click()
        assert page.get_by_role("heading", name="Are you sure you want to leave").is_visible()
        visit.check("leave-confirm")
        page.get_by_role("button", name="Leave the group").click()
        assert page.url == f"{base}/groups?left={watch}"
        assert "You have left Rowan Way Watch." in page.inner_text("main")
        visit.check("left")
    members = api.get(f"/groups/{watch}/members", headers=alice_api.auth).json()["members"]
    assert bob.account_id not in {m["account_id"] for m in members}
