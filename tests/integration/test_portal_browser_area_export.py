"""The Neighbourhood Watch association's export in Debian's headless Chromium against the real
stack: the tenant admin sets the wards an area coordinator covers (meeting the error once), a
watch group's coordinator agrees on their account page to share their details, and the area
coordinator downloads their area's groups as CSV with that coordinator's email in it; axe-core
finds no violation on any of the pages (wide and 320 px)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import SHOTS, Visit, chromium, fill_sign_in
from tests.integration.group_people import a_force_of
from tests.integration.membership_people import found_group, membership_client
from tests.integration.portal_people import Account, portal_url

pytestmark = pytest.mark.integration
WARD = "E05009411"


@pytest.fixture(scope="module")
def browser(stack: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    toolbox.require("npm")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running) as context:
        yield context


def _sign_in(page: Any, base: str, who: Account, start: str) -> None:
    page.goto(f"{base}{start}")
    fill_sign_in(page, who.tenant, who.email)
    if who.totp is not None:
        page.wait_for_url("**/sign-in/code**")
        page.get_by_label("Authenticator code").fill(who.next_code())
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{start}")


def test_an_area_coordinator_downloads_their_areas_groups(
    stack: Any, browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    force = a_force_of(
        stack,
        ann=("member", "Ann Coordinator"),
        admin=("tenant_admin", "Ada Admin"),
        area=("area_coordinator", "Ari Area"),
    )
    (ann, ann_api), (admin, _), (area, _) = force["ann"], force["admin"], force["area"]
    with membership_client(stack) as api:
        found_group(api, ann_api, name="Birch Lane Watch", ward_code=WARD, ward_name="Birch")
    base = portal_url(stack)

    page = browser.new_page()
    visit = Visit(page, "area-export-admin")
    _sign_in(page, base, admin, f"/force-admin/staff/{area.account_id}")
    page.get_by_role("link", name="Set the wards they cover").click()
    expect(page.get_by_role("heading", name="The wards Ari Area covers")).to_be_visible()
    visit.check_narrow_too("area-form")
    page.get_by_label("Ward codes").fill(f"{WARD}, =cmd")
    page.get_by_role("button", name="Save the wards").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    visit.check("area-form-error")
    page.get_by_label("Ward codes").fill(WARD)
    page.get_by_role("button", name="Save the wards").click()
    expect(page.get_by_text("The wards they cover are saved.")).to_be_visible()
    page.context.clear_cookies()

    member = browser.new_page()
    member_visit = Visit(member, "area-export-member")
    _sign_in(member, base, ann, "/account")
    box = member.get_by_label("Share my contact details with the Neighbourhood Watch association")
    expect(box).not_to_be_checked()
    member_visit.check_narrow_too("account")
    box.check()
    member.get_by_role("button", name="Save your choice").click()
    expect(
        member.get_by_label("Share my contact details with the Neighbourhood Watch association")
    ).to_be_checked()
    member.context.clear_cookies()

    coordinator = browser.new_page()
    coordinator_visit = Visit(coordinator, "area-export")
    _sign_in(coordinator, base, area, "/area-export")
    expect(coordinator.get_by_role("heading", name="Export your area's groups")).to_be_visible()
    expect(coordinator.get_by_text(f"The wards you cover: {WARD}.")).to_be_visible()
    coordinator_visit.check_narrow_too("page")
    with coordinator.expect_download() as downloading:
        coordinator.get_by_role("link", name="Download as CSV (a spreadsheet)").click()
    saved = tmp_path / "export.csv"
    downloading.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text())))
    assert [(r["group_name"], r["officer_display_name"], r["email"]) for r in rows] == [
        ("Birch Lane Watch", "Ann Coordinator", ann.email)
    ]
