"""The reports lists page by page, and a report whose time was not given, in Debian's headless
Chromium against the real stack. A resident sends a report from the portal's form with a day
and no time: its timeline says "(time not given)", never midday, and engagement holds
`time_known: false`. With 21 more of their reports filed, "Your reports" shows 20, "Older
reports" the other 2 (none twice, none left out), "Newest reports" the first page again; the
police officer's "Residents' reports" pages the same way, and the report's page says "(time
not given)" too. axe-core on every page, 320 px for the lists. Screenshots in
/tmp/shots-portal-report-pages/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import Visit, chromium
from tests.integration.engagement_world import WARD, WARD_NAME, EngagementWorld, engagement_client
from tests.integration.portal_people import portal_url
from tests.integration.test_portal_browser_engagement import sign_in
from tests.integration.test_portal_reports import world as reports_world

pytestmark = pytest.mark.integration
SHOTS = Path("/tmp/shots-portal-report-pages")
world = reports_world
MORE = 21  # with the one from the form: 22, one page of 20 and one of 2


@pytest.fixture(scope="module")
def browsers(stack: Any) -> Iterator[tuple[Any, Any]]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    with sync_playwright() as running, chromium(running) as residents, chromium(running) as police:
        yield residents, police


def file_more(stack: Any, world: EngagementWorld) -> None:
    """The resident's other reports, straight to engagement (the form is tested above)."""
    at = datetime.now(UTC) - timedelta(days=3)
    with engagement_client(stack) as engagement:
        for n in range(MORE):
            body = {
                "ward_code": WARD,
                "category": "road_safety",
                "what": f"Report number {n}",
                "where": "Mill Lane",
                "happened_at": (at + timedelta(minutes=n)).isoformat(),
            }
            made = engagement.post("/reports", json=body, headers=world.person("plain").auth)
            assert made.status_code == 201, made.text


def rows(page: Any) -> list[str]:
    return [str(a.get_attribute("href")) for a in page.locator("table tbody a").all()]


def test_a_report_without_a_time_says_so_and_the_lists_page(
    stack: Any, browsers: tuple[Any, Any], world: EngagementWorld
) -> None:
    from playwright.sync_api import expect

    base, tenant = portal_url(stack), world.tenant
    resident = browsers[0].new_page()
    seen = Visit(resident, "resident", SHOTS)
    sign_in(resident, base, world.account("plain"), "/reports")  # the form needs no sign-in
    resident.goto(f"{base}/forces/{tenant}/report/new")
    resident.get_by_label(WARD_NAME).check()
    resident.get_by_label("Anti-social behaviour").check()
    resident.get_by_label("What happened").fill("Fireworks thrown at the bus shelter")
    resident.get_by_label("Where it happened").fill("Bus shelter on Mill Lane")
    resident.get_by_label("Day").fill("2")
    resident.get_by_label("Month").fill("3")
    resident.get_by_label("Year").fill("2026")
    resident.get_by_label("With my name").check()
    resident.get_by_role("button", name="Send the report").click()
    expect(resident.locator(".govuk-notification-banner")).to_contain_text("has been sent")
    main = resident.locator("main")
    expect(main).to_contain_text("2 March 2026 (time not given)")
    expect(main).not_to_contain_text("midday")
    seen.check("timeline-time-not-given")
    report_id = resident.url.split("/reports/")[1].split("?")[0]
    with engagement_client(stack) as engagement:
        told = engagement.get(f"/reports/{report_id}/next", headers=world.person("plain").auth)
    assert told.status_code == 200 and told.json()["time_known"] is False

    file_more(stack, world)
    resident.goto(f"{base}/reports")
    first = rows(resident)
    assert len(first) == 20
    nav = resident.get_by_role("navigation", name="Pages of reports")
    expect(nav.get_by_role("link", name="Newest reports")).to_have_count(0)
    seen.check_narrow_too("your-reports-page-1")
    nav.get_by_role("link", name="Older reports").click()
    second = rows(resident)
    assert len(second) == 2 and not set(first) & set(second)
    assert f"/reports/{report_id}" in second  # filed before the others: the oldest
    expect(nav.get_by_role("link", name="Older reports")).to_have_count(0)
    seen.check("your-reports-page-2")
    nav.get_by_role("link", name="Newest reports").click()
    assert rows(resident) == first

    police = browsers[1].new_page()
    on_duty = Visit(police, "police", SHOTS)
    sign_in(police, base, world.account("police"), "/ward-reports")
    queue_first = rows(police)
    assert len(queue_first) == 20
    on_duty.check_narrow_too("queue-page-1")
    police.get_by_role("navigation", name="Pages of reports").get_by_role(
        "link", name="Older reports"
    ).click()
    queue_second = rows(police)
    assert len(queue_second) == 2 and not set(queue_first) & set(queue_second)
    on_duty.check("queue-page-2")
    police.goto(f"{base}/ward-reports/{report_id}")
    expect(police.locator("main")).to_contain_text("2 March 2026 (time not given)")
    on_duty.check("report-time-not-given")
