"""The police admin panel in Debian's headless Chromium: a police officer filters the force's
groups, marks a group approved, and founds a hidden ward panel with a chair found by email; in
the same run the panel's chair, a member in another browser context, sees the panel and its
marking. axe-core finds no violation on any page visited (error pages included), and no page
breaks its CSP. Screenshots go to .artifacts/screenshots/portal/ (git-ignored)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.group_people import a_force_of
from tests.integration.membership_people import PASSWORD, found_group, membership_client
from tests.integration.portal_people import Account, portal_url
from tests.integration.test_portal_browser import Visit, chromium, playwright

pytestmark = pytest.mark.integration
__all__ = ["playwright"]  # the Chromium fixture, shared with the sign-in journeys


def _sign_in(page: Any, who: Account) -> None:
    page.get_by_label("Your police force").fill(who.tenant)
    page.get_by_label("Email address").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    if who.totp is not None:
        page.get_by_label("Authenticator code").fill(who.next_code())
        page.get_by_role("button", name="Sign in").click()


def test_police_filter_mark_and_found_a_panel_whose_chair_sees_it(
    stack: Any, playwright: Any
) -> None:
    people = a_force_of(
        stack,
        alice=("member", "Alice Lead"),
        carol=("member", "Carol Chair"),
        police=("police", "PC Sam Patel"),
    )
    (_alice, alice_api), (carol, _), (police, police_api) = (
        people[k] for k in ("alice", "carol", "police")
    )
    with membership_client(stack) as api:
        watch = found_group(api, alice_api, name="Juniper Walk Watch", ward_name="Juniper")
        found_group(api, alice_api, name="Larch Court Watch", ward_name="Larch")
        # The officer's portal sign-in takes a step the API sign-in left (Account.next_code).
        base = portal_url(stack)
        with chromium(playwright) as context:
            page = context.new_page()
            visit = Visit(page, "police")
            page.goto(f"{base}/police/groups")
            _sign_in(page, police)
            assert page.url == f"{base}/police/groups"
            assert page.get_by_role("heading", name="The force's groups").is_visible()
            visit.check("groups")

            page.get_by_label("Ward", exact=True).fill("Juniper")
            page.get_by_label("The group's approval").select_option(
                label="Not approved by the police"
            )
            page.get_by_label("Waiting for police approval").check()
            page.get_by_role("button", name="Show groups").click()
            results = page.locator("main table").inner_text()
            assert "Juniper Walk Watch" in results and "Larch Court Watch" not in results
            visit.check("groups-filtered")

            page.goto(f"{base}/police/groups?group_type=book_club")
            assert page.get_by_role("heading", name="There is a problem").is_visible()
            visit.check("groups-bad-filter")

            page.goto(f"{base}/police/groups?ward=Juniper")
            page.get_by_role("link", name="Juniper Walk Watch").click()
            assert page.get_by_role("heading", name="Juniper Walk Watch").is_visible()
            visit.check("group")
            page.get_by_role("button", name="Mark approved of the group").click()
            banner = page.locator(".govuk-notification-banner").inner_text()
            assert "You have marked the group as approved by the police." in banner
            visit.check("group-marked")
            approvals = api.get(f"/groups/{watch}", headers=police_api.auth).json()["approvals"]
            assert approvals == ["police"]

            page.get_by_role("link", name="Found a ward panel").click()
            visit.check("found-panel")
            page.get_by_label("Name of the panel").fill("Juniper Ward Panel")
            page.get_by_label("Ward", exact=True).fill("Juniper")
            page.get_by_label("Ward code").fill("E05009999")
            page.get_by_label("Only its members").check()
            page.get_by_label("Email address of the first chair").fill("nobody@example.org")
            page.get_by_role("button", name="Find the chair").click()
            assert page.get_by_role("heading", name="There is a problem").is_visible()
            visit.check("found-panel-unknown-chair")
            page.get_by_label("Email address of the first chair").fill(carol.email)
            page.get_by_role("button", name="Find the chair").click()
            assert page.get_by_role(
                "heading", name="Check the panel before you found it"
            ).is_visible()
            assert "Carol Chair" in page.inner_text("main")
            visit.check("found-panel-check")
            page.get_by_role("button", name="Found the ward panel").click()
            assert page.get_by_role("heading", name="Juniper Ward Panel").is_visible()
            assert "The ward panel has been founded." in page.inner_text("main")
            visit.check("panel-founded")
            page.get_by_role("button", name="Mark approved of the group").click()
            assert (
                "approved by the police" in page.locator(".govuk-notification-banner").inner_text()
            )
            visit.check("panel-marked")

        with chromium(playwright) as chair_context:
            page = chair_context.new_page()
            visit = Visit(page, "police-panel-chair")
            page.goto(f"{base}/groups")
            _sign_in(page, carol)
            page.get_by_role("link", name="Juniper Ward Panel").click()
            main = page.inner_text("main")
            assert "Juniper Ward Panel" in main and "Approved by Test Constabulary" in main
            assert "Chair" in main
            visit.check("panel-overview")
