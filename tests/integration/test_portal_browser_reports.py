"""Residents' reports in Debian's headless Chromium against the real stack: a resident reads
the before-you-start page, meets the form's error summary, sends a report with their name and
a photo and sees it in "Your reports"; a police officer, in another browser, finds it in the
ward's queue, passes it to the council (after the missing note's error), and the resident's
timeline says so; a visitor sends one anonymously and follows it by reference and secret.
axe-core finds no violation on any page visited (320 px too for the form and the timeline).
Screenshots in /tmp/shots-portal-reports/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import Visit, chromium
from tests.integration.engagement_world import WARD_NAME, EngagementWorld
from tests.integration.portal_people import portal_url
from tests.integration.test_portal_browser_engagement import sign_in
from tests.integration.test_portal_reports import PNG
from tests.integration.test_portal_reports import world as reports_world

pytestmark = pytest.mark.integration
SHOTS = Path("/tmp/shots-portal-reports")
world = reports_world


@pytest.fixture(scope="module")
def browsers(stack: Any) -> Iterator[tuple[Any, Any, Any]]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    with (
        sync_playwright() as running,
        chromium(running) as residents,
        chromium(running) as police,
        chromium(running) as visitors,
    ):
        yield residents, police, visitors


def fill_report(page: Any, photo: Path | None = None) -> None:
    page.get_by_label(WARD_NAME).check()
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("What happened").fill("Motorbikes racing round the estate after midnight")
    page.get_by_label("Where it happened").fill("Behind the Elm Park flats")
    page.get_by_label("Postcode (optional)").fill("WC1N 3LS")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    if photo is not None:
        page.get_by_label("Photo (optional)").set_input_files(str(photo))


def test_a_resident_reports_police_pass_it_on_and_a_visitor_follows_their_own(
    stack: Any, browsers: tuple[Any, Any, Any], world: EngagementWorld, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base, tenant = portal_url(stack), world.tenant
    resident = browsers[0].new_page()
    seen = Visit(resident, "resident", SHOTS)
    sign_in(resident, base, world.account("plain"), "/reports")
    expect(resident.locator("main")).to_contain_text("You have not sent a report")
    seen.check("your-reports-empty")
    resident.goto(f"{base}/forces/{tenant}")
    resident.get_by_role("link", name="Report something", exact=True).click()
    expect(
        resident.get_by_role("heading", name="Report something to your ward team")
    ).to_be_visible()
    expect(resident.locator("main")).to_contain_text("0800 555 111")
    seen.check("before-you-start")
    resident.get_by_role("button", name="Start now").click()
    resident.get_by_role("button", name="Send the report").click()
    expect(resident.locator(".govuk-error-summary")).to_contain_text("Enter what happened")
    seen.check_narrow_too("form-errors")
    photo = tmp_path / "estate.png"
    photo.write_bytes(PNG)
    fill_report(resident, photo)
    resident.get_by_label("With my name").check()
    resident.get_by_role("button", name="Send the report").click()
    expect(resident.locator(".govuk-notification-banner")).to_contain_text("has been sent")
    seen.check_narrow_too("timeline-received")
    resident.get_by_role("link", name="Your reports").first.click()
    expect(resident.locator("table")).to_contain_text("Received")
    seen.check("your-reports")
    report_url = resident.locator("table a").first.get_attribute("href")

    police = browsers[1].new_page()
    on_duty = Visit(police, "police", SHOTS)
    sign_in(police, base, world.account("police"), "/ward-reports")
    expect(police.locator("table")).to_contain_text("Anti-social behaviour")
    on_duty.check("queue")
    police.locator(f'a[href="/ward-{report_url[1:]}"]').click()
    expect(police.locator("main")).to_contain_text("Motorbikes racing round the estate")
    on_duty.check("report")
    police.get_by_label("Elm Council ASB team").check()
    police.get_by_role("button", name="Pass it on").click()
    expect(police.locator(".govuk-error-summary")).to_contain_text("Enter a note for the person")
    on_duty.check("pass-errors")
    police.get_by_label("Elm Council ASB team").check()
    police.locator("#pass_note").fill("The council's ASB team will look at this")
    police.get_by_role("button", name="Pass it on").click()
    expect(police.locator(".govuk-notification-banner")).to_contain_text("passed on")
    on_duty.check("passed")

    resident.goto(f"{base}{report_url}")
    expect(resident.locator(".snp-report-timeline")).to_contain_text(
        "Passed to Elm Council ASB team"
    )
    seen.check("timeline-passed")

    visitor = browsers[2].new_page()
    looked = Visit(visitor, "visitor", SHOTS)
    visitor.goto(f"{base}/forces/{tenant}/report/new")
    fill_report(visitor)
    visitor.get_by_role("button", name="Send the report").click()
    expect(visitor.get_by_role("heading", name="Your report has been sent")).to_be_visible()
    looked.check("anonymous-sent")
    reference = visitor.locator("#reference").inner_text()
    secret = visitor.locator("#secret").inner_text()
    visitor.get_by_role("link", name="Follow a report").click()
    visitor.get_by_label("Reference").fill(reference)
    visitor.get_by_label("Secret").fill("not the secret")
    visitor.get_by_role("button", name="Show what happens next").click()
    expect(visitor.locator(".govuk-error-summary")).to_contain_text("No report has this")
    looked.check("follow-errors")
    visitor.get_by_label("Secret").fill(secret)
    visitor.get_by_role("button", name="Show what happens next").click()
    expect(visitor.locator(".snp-report-timeline")).to_contain_text("Received")
    looked.check("followed")
