"""The engagement event pages over faked services (httpx's MockTransport), and their words as
pure functions: London times in words across the clock change, times of day typed as people
type them, the create form's checks that ask nothing of engagement, the body engagement gets,
its refusals on the form's fields, a resident registering and a refusal shown on the page. The
real stack: tests/integration/test_portal_events.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from snp_platform.keywrap import generate_config
from snp_platform.testing import unopened_pool
from snp_portal.adapters.api import Apis
from snp_portal.adapters.forces import ForceNames
from snp_portal.domain import engagement_events as words
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.app import build_app
from snp_portal.settings import PortalSettings

NOW = datetime.now(UTC)
EVENT = "ev-1"
Handler = Callable[[httpx.Request], httpx.Response | None]


def form(**changes: str) -> dict[str, str]:
    values = {
        "kind": "safety_surgery",
        "title": "Safety surgery at the library",
        "description": "",
        "wards": "e05000777, E05000778 E05000777",
        "day": "8",
        "month": "12",
        "year": "2030",
        "start_time": "6pm",
        "end_time": "19:30",
        "place": "Elm Park Library",
        "postcode": "nw1 1bd",
        "to_be_confirmed": "",
        "organising_agency": "Elm Police",
        "contact_role": "Ward sergeant",
    }
    return {**values, **changes}


def test_an_events_time_is_said_in_london_time_in_words() -> None:
    # 18:00 UTC in December is 6pm in London; in June 17:00 UTC is 6pm (British Summer Time).
    assert words.when("2026-12-08T18:00:00Z", "2026-12-08T19:30:00Z") == (
        "Tuesday 8 December 2026, 6pm to 7:30pm"
    )
    assert words.when("2027-06-08T17:00:00Z", "2027-06-08T18:00:00Z") == (
        "Tuesday 8 June 2027, 6pm to 7pm"
    )
    assert words.when("2026-12-08T12:00:00Z", "2026-12-09T00:00:00Z") == (
        "Tuesday 8 December 2026, midday to Wednesday 9 December 2026, midnight"
    )


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("18:30", (18, 30)),
        ("6:30pm", (18, 30)),
        ("6pm", (18, 0)),
        ("6.30 p.m.", (18, 30)),
        ("12am", (0, 0)),
        ("12pm", (12, 0)),
        ("09:05", (9, 5)),
        ("6", None),
        ("13pm", None),
        ("24:00", None),
        ("18:60", None),
        ("teatime", None),
    ],
)
def test_a_time_of_day_is_read_as_people_type_it(typed: str, read: tuple[int, int] | None) -> None:
    assert words.parse_time(typed) == read


def test_a_good_form_becomes_engagements_body_in_london_wall_clock_time() -> None:
    assert words.event_errors(form(), words.AGENCY_KINDS) == {}
    body = words.event_body(form(), "")
    assert body["ward_codes"] == ["E05000777", "E05000778"]
    assert (body["starts_at"], body["ends_at"]) == ("2030-12-08T18:00", "2030-12-08T19:30")
    assert body["place"] == {
        "text": "Elm Park Library",
        "postcode": "nw1 1bd",
        "to_be_confirmed": False,
    }
    assert "group_id" not in body
    assert words.event_body(form(kind="panel_meeting"), "g-1")["group_id"] == "g-1"


def test_the_forms_own_checks_name_each_field() -> None:
    bad = form(
        kind="panel_meeting",
        title="",
        wards="E05000777, not-a-code!",
        day="31",
        month="2",
        start_time="7pm",
        end_time="6pm",
        place="",
        description="x" * 4001,
    )
    errors = words.event_errors(bad, words.AGENCY_KINDS)
    assert set(errors) == {
        "kind",
        "title",
        "wards",
        "event_day",
        "end_time",
        "place",
        "description",
    }
    assert errors["end_time"] == "The end time must be after the start time"
    # "Location to be confirmed" stands in for a place.
    assert "place" not in words.event_errors(
        form(place="", to_be_confirmed="yes"), words.AGENCY_KINDS
    )


def test_an_event_may_end_on_a_later_day_within_a_week_on_londons_clock() -> None:
    # An engagement weekend across the clocks going back (Sunday 27 October 2030).
    weekend = form(day="26", month="10", start_time="10am", end_time="4pm")
    weekend |= {"end_day": "27", "end_month": "10", "end_year": "2030"}
    assert words.event_errors(weekend, words.AGENCY_KINDS) == {}
    body = words.event_body(weekend, "")
    assert (body["starts_at"], body["ends_at"]) == ("2030-10-26T10:00", "2030-10-27T16:00")
    # A blank end date is the start date; an end time before the start time then is wrong.
    assert words.event_body(form(), "")["ends_at"] == "2030-12-08T19:30"
    # 7 days on the poster (7 days and an hour of real time) is a week; a minute more is not.
    week = weekend | {"end_day": "2", "end_month": "11", "start_time": "10:00"}
    assert words.event_errors(week | {"end_time": "10:00"}, words.AGENCY_KINDS) == {}
    assert words.event_errors(week | {"end_time": "10:01"}, words.AGENCY_KINDS) == {
        "end_day": "An event lasts at most 7 days: choose an earlier end date"
    }
    assert words.event_errors(weekend | {"end_day": "25"}, words.AGENCY_KINDS) == {
        "end_day": "The end date must be the same as or after the start date"
    }
    assert set(words.event_errors(weekend | {"end_month": "13"}, words.AGENCY_KINDS)) == {"end_day"}
    # Ending the next morning is fine: the end time is before the start time, on a later day.
    overnight = weekend | {"start_time": "10pm", "end_time": "2am"}
    assert words.event_errors(overnight, words.AGENCY_KINDS) == {}
    assert words.refusal_errors(422, (), "an event lasts at most 7 days") == {
        "end_day": "An event lasts at most 7 days"
    }


def test_engagements_refusals_land_on_the_field_they_are_about() -> None:
    ward = words.refusal_errors(422, (), "no ward panel of this force in ward 'E05000999'")
    assert ward == {"wards": "No ward panel of this force in ward 'E05000999'"}
    postcode = words.refusal_errors(
        422, (("", "the postcode is not a UK postcode such as WC1H 9JE"),), ""
    )
    assert set(postcode) == {"postcode"}
    assert set(
        words.refusal_errors(
            422, (), "the start does not exist in London: the clocks go forward then"
        )
    ) == {"start_time"}
    hidden = (
        " names this hidden panel, whose name is never shown in public:"
        ' call it "The ward panel for Fitzrovia"'
    )
    for said, field in (
        ("the organiser", "organising_agency"),
        ("the title", "title"),
        ("the place", "place"),
        ("the contact role", "contact_role"),
    ):
        assert set(words.refusal_errors(422, (), said + hidden)) == {field}
    assert words.refusal_errors(403, (), "forbidden") == {
        "kind": "Your account cannot organise this kind of event here"
    }


def test_the_place_is_said_or_to_be_confirmed() -> None:
    assert (
        words.place_words({"text": "Library", "postcode": "NW1 1BD", "to_be_confirmed": False})
        == "Library, NW1 1BD"
    )
    assert (
        words.place_words({"text": "", "postcode": None, "to_be_confirmed": True})
        == "Location to be confirmed"
    )


def an_event(**fields: Any) -> dict[str, Any]:
    return {
        "event_id": EVENT,
        "kind": "walkabout",
        "title": "Walkabout on Mill Lane",
        "description": "Meet by the shops",
        "ward_codes": ["E05000777"],
        "starts_at": "2030-12-10T18:00:00Z",
        "ends_at": "2030-12-10T19:00:00Z",
        "place": {"text": "", "postcode": None, "to_be_confirmed": True},
        "organising_agency": "Elm Police",
        "contact_role": "Ward sergeant",
        "status": "scheduled",
        "cancel_reason": None,
        "registered": False,
        **fields,
    }


class SignedInPortal:
    def __init__(self, kind: str) -> None:
        claims = {"sub": "acct-1", "kind": kind, "tenant": "met", "amr": ["pwd", "otp"]}
        self.token = jwt.encode(claims, "k" * 32, algorithm="HS256")
        self.session = Session("s1", "csrf-1", NOW, NOW, self.token, "refresh", NOW, "met")

    def current(self, _cookie: str | None) -> Session:
        return self.session

    def access_token(self, _session: Session) -> str:
        return self.token


def services(request: httpx.Request) -> httpx.Response | None:
    path = request.url.path
    if path.startswith("/identity/public/tenants/"):
        return httpx.Response(200, json={"slug": "met", "display_name": "Met Police"})
    if path == "/engagement/public/met/wards/E05000777/events":
        over = an_event(
            event_id="ev-0",
            title="Last year's surgery",
            starts_at="2020-01-01T10:00:00Z",
            ends_at="2020-01-01T11:00:00Z",
        )
        return httpx.Response(200, json={"events": [an_event(), over]})
    if path == f"/engagement/events/{EVENT}" and request.method == "GET":
        return httpx.Response(200, json=an_event())
    if path == "/membership/public/met/groups":
        panel = {"group_type": "ward_panel", "ward_code": "E05000777", "ward_name": "Elm Park"}
        return httpx.Response(200, json={"groups": [panel]})
    if path == "/membership/groups":  # police list every ward panel, hidden ones too
        panels = [
            {"group_type": "ward_panel", "ward_code": "E05000777", "ward_name": "Elm Park"},
            {"group_type": "ward_panel", "ward_code": "E05000900", "ward_name": "Hidden Vale"},
            {"group_type": "watch_group", "ward_code": "E05000901", "ward_name": "No Panel"},
        ]
        return httpx.Response(200, json={"groups": panels, "next_cursor": None})
    if path == "/membership/me/groups":
        return httpx.Response(200, json={"account_id": "acct-1", "groups": [], "join_requests": []})
    if path == "/identity/agencies":
        return httpx.Response(200, json={"agencies": []})
    return None


def client(
    calls: list[httpx.Request], kind: str = "member", answer: Handler | None = None
) -> TestClient:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        found = (answer(request) if answer else None) or services(request)
        return found or httpx.Response(404, json={"type": "urn:snp:problem:not-found"})

    app = build_app(
        PortalSettings(cookie_secure=False, portal_session_keys=SecretStr(generate_config())),
        unopened_pool(),
    )
    app.state.portal = SignedInPortal(kind)
    app.state.apis = Apis.from_urls(
        "http://i", "http://m", "http://d", "http://g", httpx.MockTransport(handler)
    )
    app.state.force_names = ForceNames(app.state.apis.identity)
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def test_the_wards_page_lists_what_is_still_to_come_with_its_calendar() -> None:
    page = client([]).get("/public/met/wards/E05000777/events")
    assert page.status_code == 200, page.text
    assert "Events in Elm Park" in page.text
    assert "Tuesday 10 December 2030, 6pm to 7pm" in page.text
    assert "Location to be confirmed" in page.text and "Ward sergeant" in page.text
    assert 'href="/public/met/wards/E05000777/events.ics"' in page.text
    assert "Last year's surgery" not in page.text


def test_a_resident_registers_and_a_refusal_is_said_on_the_page() -> None:
    calls: list[httpx.Request] = []
    page = client(calls).get(f"/events/{EVENT}")
    assert "Register for this event" in page.text and "Cancel this event" not in page.text

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/registration"):
            return httpx.Response(409, json={"type": "urn:snp:problem:rule-broken", "title": "x"})
        return None

    refused = client(calls, answer=refuse).post(
        f"/events/{EVENT}/registration", data={"csrf_token": "csrf-1"}
    )
    assert refused.status_code == 409
    assert "There is a problem" in refused.text and "takes no registrations" in refused.text


def test_a_bad_form_asks_nothing_of_engagement_and_a_good_one_sends_the_body() -> None:
    calls: list[httpx.Request] = []
    bad = client(calls, "police").post(
        "/events/new", data={"csrf_token": "csrf-1", **form(title="")}
    )
    assert bad.status_code == 400 and 'href="#title"' in bad.text
    assert not [c for c in calls if c.method == "POST"]

    def made(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/engagement/events" and request.method == "POST":
            return httpx.Response(201, json={"event_id": "ev-9"})
        return None

    picked = {"ward": ["E05000777", "E05000900"], "other_wards": "e05000778"}
    good = client(calls, "police", made).post(
        "/events/new", data={"csrf_token": "csrf-1", **form(), **picked}
    )
    assert good.status_code == 303 and good.headers["location"] == "/events/ev-9?done=scheduled"
    [sent] = [c for c in calls if c.method == "POST"]
    assert json.loads(sent.content)["starts_at"] == "2030-12-08T18:00"
    # The wards ticked by name, then the code typed for a ward the list lacks.
    assert json.loads(sent.content)["ward_codes"] == ["E05000777", "E05000900", "E05000778"]
