"""The portal's engagement event pages over HTTP against the real stack (identity, membership,
engagement, OPA, Kafka): police arrange an event (after the form's own errors and engagement's
422 for a ward without a panel), the ward's public page and its calendar feed show it to a
visitor in London time, a resident registers ("You are registered") and cancels, a plain
member's forged cancel meets engagement's 403 as a page, and police cancel it. A panel's chair
calls a panel meeting from the panel's pages, a member's forged one is refused, and a partner
cannot cancel another agency's event. Each change is checked in engagement's own API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.integration.engagement_world import (
    WARD,
    EngagementWorld,
    engagement_client,
    engagement_roles,
    engagement_world,
    wait_until,
)
from tests.integration.membership_people import membership_client
from tests.integration.portal_people import csrf_of, portal_client, signed_in

pytestmark = pytest.mark.integration
DAY = date(date.today().year + 1, 12, 8)  # a day to come, whenever the test runs
WHEN = f"{DAY:%A} 8 December {DAY.year}, 6pm to 7:30pm"


@pytest.fixture(scope="module")
def world(stack: Any) -> EngagementWorld:
    return engagement_world(stack)


@pytest.fixture(scope="module")
def engagement(stack: Any) -> Iterator[httpx.Client]:
    with engagement_client(stack) as client:
        yield client


def post(client: httpx.Client, page: str, action: str, **fields: str) -> httpx.Response:
    """A form posted as a browser posts it: the CSRF token read from the page it is on."""
    return client.post(action, data={"csrf_token": csrf_of(client.get(page)), **fields})


def event_form(**changes: str) -> dict[str, str]:
    fields = {
        "kind": "safety_surgery",
        "title": "Safety surgery at Elm Park Library",
        "description": "Talk to your ward team about anything that worries you.",
        "ward": WARD,  # ticked by its name, Elm Park
        "day": str(DAY.day),
        "month": str(DAY.month),
        "year": str(DAY.year),
        "start_time": "6pm",
        "end_time": "7:30pm",
        "place": "Elm Park Library, meeting room 2",
        "postcode": "nw1 1bd",
        "organising_agency": "Elm Park Safer Neighbourhoods team",
        "contact_role": "Ward sergeant",
    }
    return {**fields, **changes}


def event_of(engagement: httpx.Client, world: EngagementWorld, event_id: str) -> Any:
    answer = engagement.get(f"/events/{event_id}", headers=world.person("police").auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def registrations(engagement: httpx.Client, world: EngagementWorld, event_id: str) -> int:
    answer = engagement.get(
        f"/events/{event_id}/registrations", headers=world.person("police").auth
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["count"])


def force_events(engagement: httpx.Client, world: EngagementWorld) -> list[str]:
    answer = engagement.get(f"/public/{world.tenant}/events")
    return [e["title"] for e in answer.json()["events"]] if answer.status_code == 200 else []


def test_police_arrange_a_resident_registers_and_police_cancel(
    stack: Any, world: EngagementWorld, engagement: httpx.Client
) -> None:
    with signed_in(stack, world.account("police")) as police:
        assert 'href="/events"' in police.get("/police/groups").text  # the console's menu
        empty = post(police, "/events/new", "/events/new", **event_form(title="", end_time="5pm"))
        assert empty.status_code == 400
        assert "There is a problem" in empty.text and 'href="#title"' in empty.text
        assert "The end time must be after the start time" in empty.text
        unknown = post(
            police, "/events/new", "/events/new", **event_form(ward="", other_wards="E05999999")
        )
        assert unknown.status_code == 422, unknown.text
        assert 'href="#wards"' in unknown.text and "E05999999" in unknown.text
        assert "Safety surgery at Elm Park Library" not in force_events(engagement, world)
        made = post(police, "/events/new", "/events/new", **event_form())
        assert made.status_code == 303, made.text
        event_id = made.headers["location"].split("/")[2].split("?")[0]
        shown = police.get(made.headers["location"]).text
        assert "The event is arranged" in shown and "Cancel this event" in shown
    event = event_of(engagement, world, event_id)
    assert event["place"] == {
        "text": "Elm Park Library, meeting room 2",
        "postcode": "NW1 1BD",
        "to_be_confirmed": False,
    }
    assert event["starts_at_london"].endswith("18:00") and event["ward_codes"] == [WARD]

    with portal_client(stack) as visitor:
        ward_page = visitor.get(f"/public/{world.tenant}/wards/{WARD}/events")
        assert ward_page.status_code == 200
        assert "Events in Elm Park" in ward_page.text and WHEN in ward_page.text
        assert "Elm Park Library, meeting room 2, NW1 1BD" in ward_page.text
        assert "Ward sergeant" in ward_page.text and "PC Poppy Police" not in ward_page.text
        feed = visitor.get(f"/public/{world.tenant}/wards/{WARD}/events.ics")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        assert f"UID:{event_id}@engagement.safer-neighbourhoods" in feed.text
        assert visitor.get(f"/public/{world.tenant}/wards/E05999999/events").status_code == 404
        to_sign_in = visitor.get(f"/events/{event_id}")
        assert to_sign_in.status_code == 303 and "/sign-in" in to_sign_in.headers["location"]

    page = f"/events/{event_id}"
    with signed_in(stack, world.account("plain")) as resident:
        before = resident.get(page).text
        assert "Register for this event" in before and "Cancel this event" not in before
        assert f'href="/public/{world.tenant}/wards/{WARD}/events"' in before
        assert resident.get("/events").status_code == 403  # the organisers' list, not theirs
        registered = post(resident, page, f"{page}/registration")
        assert registered.status_code == 303
        assert "You are registered" in resident.get(registered.headers["location"]).text
        assert registrations(engagement, world, event_id) == 1
        withdrawn = post(resident, page, f"{page}/registration/cancel")
        assert withdrawn.status_code == 303
        assert "Register for this event" in resident.get(page).text
        assert registrations(engagement, world, event_id) == 0
        assert post(resident, page, f"{page}/registration").status_code == 303
        forged = post(resident, page, f"{page}/cancel", reason="Not mine to cancel")
        assert forged.status_code == 403 and "Only the event&#39;s organiser" in forged.text
        assert event_of(engagement, world, event_id)["status"] == "scheduled"
        no_token = resident.post(f"{page}/cancel", data={"reason": "x"})
        assert no_token.status_code == 403
        assert event_of(engagement, world, event_id)["status"] == "scheduled"

    with signed_in(stack, world.account("police")) as police:
        ask = police.get(f"{page}/cancel")
        assert ask.status_code == 200 and "Cancel “Safety surgery at Elm Park Library”?" in ask.text
        assert "1 resident has registered." in police.get(page).text
        long = post(police, f"{page}/cancel", f"{page}/cancel", reason="x" * 1001)
        assert long.status_code == 400 and 'href="#reason"' in long.text
        cancelled = post(police, f"{page}/cancel", f"{page}/cancel", reason="The library floods")
        assert cancelled.status_code == 303
    assert event_of(engagement, world, event_id)["status"] == "cancelled"
    with signed_in(stack, world.account("plain")) as resident:
        shown = resident.get(page).text
        assert "Cancelled" in shown and "The library floods" in shown
        assert "Register for this event" not in shown


def test_a_panel_calls_a_meeting_and_the_services_refuse_the_others(
    stack: Any, world: EngagementWorld, engagement: httpx.Client
) -> None:
    panel = world.panel
    new = f"/groups/{panel}/events/new"
    meeting = event_form(kind="panel_meeting", title="Elm Park panel meeting", ward="")
    with signed_in(stack, world.account("plain")) as member:
        listed = member.get(f"/groups/{panel}/events")
        assert listed.status_code == 200 and "Arrange a panel meeting" not in listed.text
        forged = post(member, f"/groups/{panel}/events", new, **meeting)
        assert forged.status_code == 403, forged.text
        assert "Your account cannot organise this kind of event here" in forged.text
    assert "Elm Park panel meeting" not in force_events(engagement, world)

    with signed_in(stack, world.account("chair")) as chair:
        listed = chair.get(f"/groups/{panel}/events")
        assert f'href="{new}"' in listed.text
        made = post(chair, new, new, **meeting)
        assert made.status_code == 303, made.text
        event_id = made.headers["location"].split("/")[2].split("?")[0]
        assert "Cancel this event" in chair.get(f"/events/{event_id}").text
        assert "Elm Park panel meeting" in chair.get(f"/groups/{panel}/events").text
    event = event_of(engagement, world, event_id)
    assert (event["kind"], event["ward_codes"]) == ("panel_meeting", [WARD])

    with signed_in(stack, world.account("council")) as council:
        walk = event_form(kind="womens_safety_walk", title="Women's safety walk")
        made = post(council, "/events/new", "/events/new", **walk)
        assert made.status_code == 303, made.text
        walk_id = made.headers["location"].split("/")[2].split("?")[0]
        assert "panel_meeting" not in council.get("/events/new").text  # not theirs to call
    with signed_in(stack, world.account("housing")) as housing:
        page = f"/events/{walk_id}"
        refused = post(housing, f"{page}/cancel", f"{page}/cancel", reason="")
        assert refused.status_code == 403 and "There is a problem" in refused.text
    assert event_of(engagement, world, walk_id)["status"] == "scheduled"


def _clocks_go_back(year: int) -> date:
    """The last Sunday of October: the clocks go back an hour at 02:00 BST."""
    last = date(year, 10, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def test_an_engagement_weekend_ends_on_its_sunday_across_the_clock_change(
    stack: Any, world: EngagementWorld, engagement: httpx.Client
) -> None:
    sunday = _clocks_go_back(DAY.year)
    saturday = sunday - timedelta(days=1)
    weekend = event_form(
        kind="engagement_day",
        title="Elm Park engagement weekend",
        day=str(saturday.day),
        month="10",
        year=str(saturday.year),
        start_time="10am",
        end_day=str(sunday.day),
        end_month="10",
        end_year=str(sunday.year),
        end_time="4pm",
    )
    with signed_in(stack, world.account("police")) as police:
        too_long = {**weekend, "end_day": str((saturday + timedelta(days=8)).day)}
        too_long["end_month"] = str((saturday + timedelta(days=8)).month)
        refused = post(police, "/events/new", "/events/new", **too_long)
        assert refused.status_code == 400 and 'href="#end_day"' in refused.text
        assert "An event lasts at most 7 days" in refused.text
        made = post(police, "/events/new", "/events/new", **weekend)
        assert made.status_code == 303, made.text
        event_id = made.headers["location"].split("/")[2].split("?")[0]
        move_form = police.get(f"/events/{event_id}/move").text
        assert f'name="end_day" type="text" value="{sunday.day}"' in move_form
        yours = police.get("/your-events")
        assert yours.status_code == 200 and "Elm Park engagement weekend" in yours.text
    with signed_in(stack, world.account("council")) as council:
        theirs = council.get("/your-events")
        assert theirs.status_code == 200 and "Elm Park engagement weekend" not in theirs.text
    event = event_of(engagement, world, event_id)
    # 10:00 BST is 09:00 UTC; 16:00 on the Sunday is GMT, so 16:00 UTC: 31 hours.
    assert event["starts_at"] == f"{saturday.isoformat()}T09:00:00Z"
    assert event["ends_at"] == f"{sunday.isoformat()}T16:00:00Z"
    words = (
        f"Saturday {saturday.day} October {saturday.year}, 10am to "
        f"Sunday {sunday.day} October {sunday.year}, 4pm"
    )
    with portal_client(stack) as visitor:
        ward_page = visitor.get(f"/public/{world.tenant}/wards/{WARD}/events")
        assert ward_page.status_code == 200 and words in ward_page.text
        feed = visitor.get(f"/public/{world.tenant}/wards/{WARD}/events.ics").text
        assert f"DTEND:{sunday:%Y%m%d}T160000Z" in feed
        assert f"DTSTART:{saturday:%Y%m%d}T090000Z" in feed


def test_a_partner_sees_a_hidden_panels_plan_by_its_ward_never_its_name(
    stack: Any, world: EngagementWorld, engagement: httpx.Client
) -> None:
    hidden_name = "Larkspur Close Ward Panel"
    with membership_client(stack) as membership:
        body = {
            "group_type": "ward_panel",
            "name": hidden_name,
            "ward_code": "E05000778",
            "ward_name": "Larkspur",
            "visibility": "hidden",
            "first_chair": world.account("chair").account_id,
        }
        made = membership.post("/groups", json=body, headers=world.person("police").auth)
        assert made.status_code == 201, made.text
    panel = str(made.json()["group_id"])
    chair_id = world.account("chair").account_id
    wait_until(lambda: "chair" in engagement_roles(stack, panel, chair_id), "the chair")
    with signed_in(stack, world.account("council")) as council:
        page = council.get(f"/ward-plans/{panel}?period=2027-Q1")
        assert page.status_code == 200, page.text
        assert "The ward panel in E05000778" in page.text and hidden_name not in page.text
    with signed_in(stack, world.account("chair")) as chair:
        form = chair.get(f"/groups/{panel}/events/new")
        assert form.status_code == 200, form.text
        assert 'value="Larkspur ward panel"' in form.text
