"""Moving an engagement event and recording what happened at it, in Debian's headless Chromium
against the real stack. A police officer arranges an event with the ward picker (the ward
ticked by its name, "Elm Park"; the event page names it "Elm Park (E05000777)"); a resident
registers; the officer moves it, meeting the form's errors first (the end before the start, a
day in the past: the error summary, nothing changed in engagement), then moves it: the page
says it moved, engagement has the new time and SEQUENCE 1, and the resident's mailbox gets
the change. For an event already under way, the officer meets the empty outcome's error, then
records the issues and actions: the resident reads them on the event's page. A member's
forged move is refused by engagement (403) and changes nothing. axe-core on every page, 320 px
for the forms' errors. Screenshots in /tmp/shots-portal-event-changes/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import Visit, chromium, fill_sign_in
from tests.integration.engagement_world import (
    WARD,
    EngagementWorld,
    engagement_client,
    engagement_world,
    wait_until,
)
from tests.integration.messaging_helpers import body_text, mails_to
from tests.integration.portal_people import Account, csrf_of, portal_url, signed_in

pytestmark = pytest.mark.integration
SHOTS = Path("/tmp/shots-portal-event-changes")
LONDON = ZoneInfo("Europe/London")
DAY = date(date.today().year + 1, 12, 8)
MOVED_TO = date(date.today().year + 1, 12, 15)


@pytest.fixture(scope="module")
def browsers(stack: Any) -> Iterator[tuple[Any, Any]]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    with sync_playwright() as running, chromium(running) as police, chromium(running) as residents:
        yield police, residents


@pytest.fixture(scope="module")
def world(stack: Any) -> EngagementWorld:
    return engagement_world(stack)


@pytest.fixture(scope="module")
def engagement(stack: Any) -> Iterator[httpx.Client]:
    with engagement_client(stack) as client:
        yield client


def sign_in(page: Any, account: Account) -> None:
    fill_sign_in(page, account.tenant, account.email)
    if account.totp is not None:
        page.wait_for_url("**/sign-in/code**")
        page.get_by_label("Authenticator code").fill(account.next_code())
        page.get_by_role("button", name="Sign in").click()


def event_of(engagement: httpx.Client, world: EngagementWorld, event_id: str) -> Any:
    answer = engagement.get(f"/events/{event_id}", headers=world.person("police").auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def registered_in_messaging(stack: Any, event_id: str) -> bool:
    import psycopg

    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        row = conn.execute(
            "SELECT count(*) FROM event_registrations WHERE event_id = %s", (event_id,)
        ).fetchone()
    return bool(row and row[0] == 1)


def fill_day(page: Any, day: date) -> None:
    """The event's (start) date: the first of the form's two date inputs (the end date is
    optional, blank for an event on one day)."""
    start = page.locator("#event_day")
    start.get_by_label("Day", exact=True).fill(str(day.day))
    start.get_by_label("Month", exact=True).fill(str(day.month))
    start.get_by_label("Year", exact=True).fill(str(day.year))


def test_police_move_an_event_and_the_registered_resident_is_told(
    stack: Any, browsers: tuple[Any, Any], world: EngagementWorld, engagement: httpx.Client
) -> None:
    from playwright.sync_api import expect

    base = portal_url(stack)
    police = browsers[0].new_page()
    theirs = Visit(police, "police", SHOTS)
    police.goto(f"{base}/events/new")
    sign_in(police, world.account("police"))
    police.wait_for_url(f"{base}/events/new")
    expect(police.get_by_role("group", name="Wards")).to_contain_text("Elm Park")
    theirs.check("ward-picker")
    police.get_by_label("Safety surgery").check()
    police.get_by_label("Title").fill("Surgery at Elm Park Library")
    police.get_by_label("Elm Park", exact=True).check()
    fill_day(police, DAY)
    police.get_by_label("Start time").fill("6pm")
    police.get_by_label("End time").fill("7:30pm")
    police.get_by_label("Place").fill("Elm Park Library")
    police.get_by_role("button", name="Arrange the event").click()
    expect(police.locator(".govuk-notification-banner")).to_contain_text("The event is arranged")
    expect(police.locator("main")).to_contain_text(f"Elm Park ({WARD})")
    event_id = police.url.split("/events/")[1].split("?")[0]
    assert event_of(engagement, world, event_id)["ward_codes"] == [WARD]

    registered = engagement.post(
        f"/events/{event_id}/registration", headers=world.person("plain").auth
    )
    assert registered.status_code == 204, registered.text
    wait_until(lambda: registered_in_messaging(stack, event_id), "messaging's registration")

    police.get_by_role("link", name="Move this event").click()
    expect(police.get_by_role("heading", name="Move “Surgery at Elm Park Library”")).to_be_visible()
    expect(police.get_by_label("Start time")).to_have_value("18:00")  # the event as it is
    theirs.check("move")
    police.get_by_label("End time").fill("5pm")
    police.get_by_role("button", name="Move the event").click()
    summary = police.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The end time must be after the start time")
    theirs.check_narrow_too("move-end-before-start")
    police.get_by_label("End time").fill("8pm")
    police.locator("#event_day").get_by_label("Year", exact=True).fill(str(date.today().year - 1))
    police.get_by_role("button", name="Move the event").click()
    expect(summary).to_contain_text("The new date and start time must be in the future")
    theirs.check("move-in-the-past")
    assert event_of(engagement, world, event_id)["sequence"] == 0  # nothing changed

    fill_day(police, MOVED_TO)
    police.get_by_label("Start time").fill("7pm")
    police.get_by_label("Place").fill("Elm Park Community Centre")
    police.get_by_role("button", name="Move the event").click()
    expect(police.locator(".govuk-notification-banner")).to_contain_text("The event is moved")
    expect(police.locator("main")).to_contain_text("This event has moved")
    expect(police.locator("main")).to_contain_text(
        f"{MOVED_TO:%A} 15 December {MOVED_TO.year}, 7pm to 8pm"
    )
    theirs.check("moved")
    event = event_of(engagement, world, event_id)
    assert event["sequence"] == 1 and event["starts_at_london"].endswith("19:00")
    assert event["place"]["text"] == "Elm Park Community Centre"

    resident = world.account("plain")
    subject = "Changed: Surgery at Elm Park Library"
    wait_until(
        lambda: any(m["Subject"] == subject for m in mails_to(stack.maildir, resident.email)),
        "the resident's mail of the move",
    )
    [mail] = [m for m in mails_to(stack.maildir, resident.email) if m["Subject"] == subject]
    assert "Elm Park Community Centre" in body_text(mail)

    page = f"/events/{event_id}"
    with signed_in(stack, resident) as member:
        forged = member.post(
            f"{page}/move",
            data={
                "csrf_token": csrf_of(member.get(page)),
                "day": str(DAY.day),
                "month": str(DAY.month),
                "year": str(DAY.year),
                "start_time": "6pm",
                "end_time": "7pm",
                "place": "Somewhere else",
            },
        )
        assert forged.status_code == 403, forged.text
        assert "Only the event&#39;s organiser can move it" in forged.text
        assert "This event has moved" in member.get(page).text
    assert event_of(engagement, world, event_id)["sequence"] == 1


def test_police_record_what_happened_and_the_resident_reads_it(
    stack: Any, browsers: tuple[Any, Any], world: EngagementWorld, engagement: httpx.Client
) -> None:
    from playwright.sync_api import expect

    # An event under way: begun an hour ago (engagement takes an outcome once it has started).
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    body = {
        "kind": "walkabout",
        "title": "Walkabout on Mill Lane",
        "ward_codes": [WARD],
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(),
        "place": {"text": "By the shops on Mill Lane"},
        "organising_agency": "Elm Park Safer Neighbourhoods team",
    }
    made = engagement.post("/events", json=body, headers=world.person("police").auth)
    assert made.status_code == 201, made.text
    event_id = made.json()["event_id"]

    base = portal_url(stack)
    police = browsers[0].new_page()
    theirs = Visit(police, "police-outcome", SHOTS)
    police.goto(f"{base}/events/{event_id}")  # still signed in from the test before
    if "/sign-in" in police.url:
        sign_in(police, world.account("police"))
        police.wait_for_url(f"{base}/events/{event_id}")
    police.get_by_role("link", name="Record what happened").click()
    theirs.check("outcome")
    police.get_by_role("button", name="Record what happened").click()
    expect(police.locator(".govuk-error-summary")).to_contain_text(
        "Enter an issue residents raised or an action that was agreed"
    )
    theirs.check_narrow_too("outcome-empty")
    assert event_of(engagement, world, event_id)["outcome"] is None
    police.get_by_label("Issues residents raised").fill(
        "Speeding on Mill Lane\nBroken street light"
    )
    police.get_by_label("Actions agreed", exact=True).fill("Speed checks on Mill Lane in March")
    police.get_by_label("How many people came (optional)").fill("14")
    police.get_by_role("button", name="Record what happened").click()
    expect(police.locator(".govuk-notification-banner")).to_contain_text(
        "What happened is recorded"
    )
    expect(police.get_by_role("link", name="Record what happened")).to_have_count(0)
    theirs.check("outcome-recorded")
    assert event_of(engagement, world, event_id)["outcome"] == {
        "issues_raised": ["Speeding on Mill Lane", "Broken street light"],
        "actions_agreed": [
            {"description": "Speed checks on Mill Lane in March", "priority_id": None}
        ],
        "attendance": 14,
    }

    resident = browsers[1].new_page()
    seen = Visit(resident, "resident-outcome", SHOTS)
    resident.goto(f"{base}/events/{event_id}")
    sign_in(resident, world.account("plain"))
    expect(resident.get_by_role("heading", name="What happened")).to_be_visible()
    expect(resident.locator("main")).to_contain_text("Broken street light")
    expect(resident.locator("main")).to_contain_text("Speed checks on Mill Lane in March")
    expect(resident.locator("#attendance")).to_have_text("14 people came.")
    seen.check_narrow_too("outcome-read")
