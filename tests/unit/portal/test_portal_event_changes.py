"""Moving an event, recording what happened at it, and the force's wards by name, over faked
services (tests/unit/portal/test_portal_events.py's) and as pure functions: the move form
starts from the event in London time, its own checks (end before start, a start in the past,
no place) ask nothing of engagement, the bodies sent, engagement's refusals in words; the
event page names its wards, says it moved, shows its outcome and offers the organiser only
what fits the event's time. The real stack: tests/integration/test_portal_event_changes.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx

from snp_portal.domain import engagement_events as words
from snp_portal.domain import event_changes as changes
from snp_portal.domain.wards import panel_wards, picked, split_known, ward_words, wards_of
from tests.unit.portal.test_portal_events import EVENT, an_event, client

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def moved_to(**changed: str) -> dict[str, str]:
    values = {
        "day": "10",
        "month": "12",
        "year": "2030",
        "start_time": "7pm",
        "end_time": "20:30",
        "place": "Elm Park Library",
        "postcode": "NW1 1BD",
        "to_be_confirmed": "",
    }
    return {**values, **changed}


def test_wards_are_named_by_their_groups_and_a_ward_no_group_names_by_its_code() -> None:
    groups = [
        {"group_type": "ward_panel", "ward_code": "E2", "ward_name": "Ash Vale"},
        {"group_type": "watch_group", "ward_code": "E3", "ward_name": "Birch End"},
        {"group_type": "ward_panel", "ward_code": "E1", "ward_name": "elm park"},
    ]
    assert list(wards_of(groups)) == ["E2", "E3", "E1"]  # by name, whatever its case
    assert panel_wards(groups) == {"E2": "Ash Vale", "E1": "elm park"}
    assert ward_words("E2", panel_wards(groups)) == "Ash Vale (E2)"
    assert ward_words("E9", panel_wards(groups)) == "E9"
    assert picked(["e2", "E1"], "E9, e2 E8") == ["E2", "E1", "E9", "E8"]
    assert split_known(["E2", "E9", "E8"], {"E2": "Ash Vale"}) == ({"E2"}, "E9, E8")


def test_the_move_form_starts_from_the_event_on_londons_clock() -> None:
    # 18:00 UTC on 10 June is 7pm in London (British Summer Time).
    event = an_event(starts_at="2030-06-10T18:00:00Z", ends_at="2030-06-10T19:30:00Z")
    values = changes.move_values({**event, "place": {"text": "Hall", "postcode": "NW1 1BD"}})
    assert values == {
        "day": "10",
        "month": "6",
        "year": "2030",
        "start_time": "19:00",
        "end_day": "",
        "end_month": "",
        "end_year": "",
        "end_time": "20:30",
        "place": "Hall",
        "postcode": "NW1 1BD",
        "to_be_confirmed": "",
    }


def test_an_event_over_several_days_moves_with_its_end_date() -> None:
    # Saturday 26 October 2030 10:00 BST to Sunday 27th 16:00 GMT: the form shows the end date.
    event = an_event(starts_at="2030-10-26T09:00:00Z", ends_at="2030-10-27T16:00:00Z")
    values = changes.move_values(event)
    assert (values["day"], values["start_time"]) == ("26", "10:00")
    assert (values["end_day"], values["end_month"], values["end_year"]) == ("27", "10", "2030")
    assert values["end_time"] == "16:00"
    assert changes.move_errors(values | {"place": "Hall"}, NOW) == {}
    moved = changes.move_body(
        values | {"day": "2", "month": "11", "end_day": "3", "end_month": "11"}
    )
    assert (moved["starts_at"], moved["ends_at"]) == ("2030-11-02T10:00", "2030-11-03T16:00")
    assert changes.move_errors(values | {"end_day": "4", "end_month": "11"}, NOW) == {
        "end_day": "An event lasts at most 7 days: choose an earlier end date"
    }

    def answer(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == f"/engagement/events/{EVENT}":
            return httpx.Response(200, json=event)
        return None

    page = client([], kind="police", answer=answer).get(f"/events/{EVENT}/move")
    assert page.status_code == 200, page.text
    assert 'id="end_day-day" name="end_day" type="text" value="27"' in page.text
    assert "End date (optional)" in page.text


def test_a_move_must_end_after_it_starts_start_in_the_future_and_say_where() -> None:
    assert changes.move_errors(moved_to(), NOW) == {}
    assert changes.move_errors(moved_to(end_time="6pm"), NOW) == {
        "end_time": "The end time must be after the start time"
    }
    assert changes.move_errors(moved_to(year="2029"), NOW) == {
        "event_day": "The new date and start time must be in the future"
    }
    assert set(changes.move_errors(moved_to(day="31", month="2"), NOW)) == {"event_day"}
    assert set(changes.move_errors(moved_to(place=""), NOW)) == {"place"}
    assert changes.move_errors(moved_to(place="", to_be_confirmed="yes"), NOW) == {}
    assert changes.move_body(moved_to()) == {
        "starts_at": "2030-12-10T19:00",
        "ends_at": "2030-12-10T20:30",
        "place": {"text": "Elm Park Library", "postcode": "NW1 1BD", "to_be_confirmed": False},
    }


def test_an_outcome_needs_something_and_each_line_is_one_item() -> None:
    empty = {"issues_raised": " \n ", "actions_agreed": ""}
    assert changes.outcome_errors(empty) == {
        "issues_raised": "Enter an issue residents raised or an action that was agreed"
    }
    many = {"issues_raised": "\n".join(f"issue {i}" for i in range(21)), "actions_agreed": ""}
    assert set(changes.outcome_errors(many)) == {"issues_raised"}
    long = {"issues_raised": "", "actions_agreed": "x" * 1001}
    assert set(changes.outcome_errors(long)) == {"actions_agreed"}
    good = {"issues_raised": "Speeding\r\n\r\n  Litter ", "actions_agreed": "Speed checks"}
    assert changes.outcome_errors(good) == {}
    assert changes.outcome_body(good) == {
        "issues_raised": ["Speeding", "Litter"],
        "actions_agreed": [{"description": "Speed checks"}],
    }


PRIORITIES = [
    {
        "priority_id": "p-1",
        "title": "Speeding on Mill Lane",
        "period": "2030-Q4",
        "ward_code": "E1",
    },
    {"priority_id": "p-2", "title": "Litter", "period": "2030-Q4", "ward_code": "E1"},
]


def test_actions_agreed_for_a_ward_priority_name_it_and_the_attendance_is_a_count() -> None:
    good = {
        "issues_raised": "Speeding",
        "actions_agreed": "Leaflets",
        "attendance": "23",
        "actions_for_p-1": "Speed checks in March\nA speed camera survey",
        "actions_for_p-2": "",
    }
    assert changes.outcome_fields(PRIORITIES)[-2:] == ("actions_for_p-1", "actions_for_p-2")
    assert changes.outcome_errors(good, PRIORITIES) == {}
    assert changes.outcome_body(good, PRIORITIES) == {
        "issues_raised": ["Speeding"],
        "actions_agreed": [
            {"description": "Leaflets"},
            {"description": "Speed checks in March", "priority_id": "p-1"},
            {"description": "A speed camera survey", "priority_id": "p-1"},
        ],
        "attendance": 23,
    }
    assert "attendance" not in changes.outcome_body(good | {"attendance": ""}, PRIORITIES)
    assert changes.outcome_body(good | {"attendance": "0"}, PRIORITIES)["attendance"] == 0
    for count in ("-1", "twenty", "2.5", "100001"):
        assert set(changes.outcome_errors(good | {"attendance": count}, PRIORITIES)) == {
            "attendance"
        }
    # The 20 actions are counted across every box; a long one is said on its own box.
    many = good | {"actions_agreed": "\n".join(f"a{i}" for i in range(19))}
    assert set(changes.outcome_errors(many, PRIORITIES)) == {"actions_agreed"}
    long = good | {"actions_for_p-2": "x" * 1001}
    assert set(changes.outcome_errors(long, PRIORITIES)) == {"actions_for_p-2"}
    only_linked = {"issues_raised": "", "actions_agreed": "", "actions_for_p-2": "Bins"}
    assert changes.outcome_errors(only_linked, PRIORITIES) == {}
    assert changes.period_words(PRIORITIES[0]) == "October to December 2030"


def test_the_outcome_form_offers_each_ward_priority_and_puts_the_links() -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/priorities"):
            return httpx.Response(200, json={"event_id": EVENT, "priorities": PRIORITIES})
        if request.url.path.endswith("/outcome"):
            return httpx.Response(204)
        return None

    page = client(calls, "police", answer).get(f"/events/{EVENT}/outcome")
    assert page.status_code == 200, page.text
    assert "Actions agreed for “Speeding on Mill Lane”" in page.text
    assert 'name="actions_for_p-1"' in page.text and 'name="attendance"' in page.text
    data = {"csrf_token": "csrf-1", "issues_raised": "", "actions_for_p-1": "Speed checks"}
    bad = client(calls, "police", answer).post(
        f"/events/{EVENT}/outcome", data=data | {"attendance": "lots"}
    )
    assert bad.status_code == 400 and 'href="#attendance"' in bad.text
    assert not [c for c in calls if c.method == "PUT"]
    good = client(calls, "police", answer).post(
        f"/events/{EVENT}/outcome", data=data | {"attendance": "12"}
    )
    assert good.status_code == 303
    [put] = [c for c in calls if c.method == "PUT"]
    assert json.loads(put.content) == {
        "issues_raised": [],
        "actions_agreed": [{"description": "Speed checks", "priority_id": "p-1"}],
        "attendance": 12,
    }


def test_the_outcome_says_how_many_came() -> None:
    def answer(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == f"/engagement/events/{EVENT}":
            outcome = {"issues_raised": ["Litter"], "actions_agreed": [], "attendance": 0}
            return httpx.Response(200, json=an_event(outcome=outcome))
        return None

    page = client([], answer=answer).get(f"/events/{EVENT}")
    assert page.status_code == 200 and "0 people came." in page.text


def test_engagements_refusals_of_a_change_are_said_in_words() -> None:
    said = changes.change_refusal
    assert said(403, "forbidden", "move it") == "Only the event's organiser can move it"
    assert "already recorded" in said(409, "this event's outcome is already recorded", "x")
    assert "once the event has started" in said(
        409, "an outcome is recorded once the event has taken place", "record what happened"
    )
    assert "cancelled" in said(409, "a cancelled event cannot be moved", "move it")


def test_the_event_page_names_its_wards_says_it_moved_and_shows_what_happened() -> None:
    outcome = {
        "issues_raised": ["Speeding on Mill Lane"],
        "actions_agreed": [{"description": "Speed checks in March", "priority_id": None}],
    }
    moved = an_event(sequence=1, outcome=outcome, ward_codes=["E05000777", "E05000999"])

    def answer(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == f"/engagement/events/{EVENT}":
            return httpx.Response(200, json=moved)
        return None

    page = client([], answer=answer).get(f"/events/{EVENT}")
    assert page.status_code == 200, page.text
    assert "Elm Park (E05000777), E05000999" in page.text
    assert "This event has moved" in page.text
    assert "Speeding on Mill Lane" in page.text and "Speed checks in March" in page.text
    assert "Move this event" not in page.text  # a resident is offered no organiser's link
    assert words.was_moved(an_event(sequence=1, status="cancelled")) is False


def test_the_organiser_is_offered_what_fits_the_events_time() -> None:
    def started(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == f"/engagement/events/{EVENT}" and request.method == "GET":
            return httpx.Response(
                200, json=an_event(starts_at="2020-01-01T10:00:00Z", ends_at="2099-01-01T10:00:00Z")
            )
        if request.url.path.endswith("/registrations"):
            return httpx.Response(200, json={"count": 0, "account_ids": []})
        return None

    page = client([], "police", started).get(f"/events/{EVENT}")
    assert "Move this event" in page.text and "Record what happened" in page.text
    to_come = client([], "police").get(f"/events/{EVENT}")
    assert "Move this event" in to_come.text and "Record what happened" not in to_come.text


def test_a_bad_move_asks_nothing_and_a_good_one_sends_londons_wall_clock() -> None:
    calls: list[httpx.Request] = []
    form = client(calls, "police").get(f"/events/{EVENT}/move")
    assert form.status_code == 200 and 'value="18:00"' in form.text  # 18:00 UTC in December
    bad = client(calls, "police").post(
        f"/events/{EVENT}/move", data={"csrf_token": "csrf-1", **moved_to(end_time="6pm")}
    )
    assert bad.status_code == 400 and 'href="#end_time"' in bad.text
    assert "There is a problem" in bad.text
    assert not [c for c in calls if c.method == "POST"]

    def moves(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/move"):
            return httpx.Response(204)
        return None

    good = client(calls, "police", moves).post(
        f"/events/{EVENT}/move", data={"csrf_token": "csrf-1", **moved_to()}
    )
    assert good.status_code == 303 and good.headers["location"] == f"/events/{EVENT}?done=moved"
    [sent] = [c for c in calls if c.method == "POST"]
    assert json.loads(sent.content)["starts_at"] == "2030-12-10T19:00"


def test_an_outcome_refused_by_engagement_is_said_and_a_good_one_is_put() -> None:
    calls: list[httpx.Request] = []

    def too_early(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/outcome"):
            problem = {
                "type": "urn:snp:problem:rule-broken",
                "title": "Conflict",
                "detail": "an outcome is recorded once the event has taken place",
            }
            return httpx.Response(409, json=problem)
        return None

    data = {"csrf_token": "csrf-1", "issues_raised": "Speeding", "actions_agreed": ""}
    refused = client(calls, "police", too_early).post(f"/events/{EVENT}/outcome", data=data)
    assert refused.status_code == 409
    assert "You can record what happened once the event has started" in refused.text

    def records(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(204) if request.url.path.endswith("/outcome") else None

    good = client(calls, "police", records).post(f"/events/{EVENT}/outcome", data=data)
    assert good.headers["location"] == f"/events/{EVENT}?done=outcome"
    [put] = [c for c in calls if c.method == "PUT" and c.url.path.endswith("/outcome")][-1:]
    assert json.loads(put.content) == {"issues_raised": ["Speeding"], "actions_agreed": []}


def test_the_event_form_offers_the_forces_wards_by_name() -> None:
    page = client([], "police").get("/events/new")
    assert page.status_code == 200, page.text
    # Police see every ward panel's ward (hidden ones too), not a watch group's ward.
    assert "Elm Park" in page.text and "Hidden Vale" in page.text
    assert "No Panel" not in page.text
    assert 'name="ward" type="checkbox" value="E05000777"' in page.text
    assert 'name="other_wards"' in page.text


def test_your_events_lists_what_is_coming_and_what_is_over() -> None:
    calls: list[httpx.Request] = []
    coming = an_event(event_id="ev-soon", title="Walkabout to come")
    over = an_event(
        event_id="ev-past",
        title="Surgery that is over",
        starts_at="2020-01-01T10:00:00Z",
        ends_at="2020-01-01T11:00:00Z",
    )

    def answer(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/engagement/events" and request.method == "GET":
            return httpx.Response(200, json={"events": [coming, over]})
        return None

    page = client(calls, "partner", answer).get("/your-events")
    assert page.status_code == 200, page.text
    [asked] = [c for c in calls if c.url.path == "/engagement/events"]
    assert asked.url.params["mine"] == "true"
    text = page.text
    assert text.index("Coming up") < text.index("Walkabout to come") < text.index("Over")
    assert text.index("Over") < text.index("Surgery that is over")
    assert 'href="/your-events"' in text  # in the partner's menu


def test_your_events_is_another_console_to_staff_who_organise_none() -> None:
    def answer(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/engagement/events":
            return httpx.Response(200, json={"events": []})
        return None

    for kind in ("tenant_admin", "auditor", "operator", "area_coordinator"):
        calls: list[httpx.Request] = []
        page = client(calls, kind, answer).get("/your-events")
        assert page.status_code == 403, kind
        assert not [c for c in calls if c.url.path == "/engagement/events"], kind
    assert client([], "member", answer).get("/your-events").status_code == 200
