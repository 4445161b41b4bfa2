"""Engagement events against the real stack (PostgreSQL, Kafka, OPA, identity, membership,
engagement, messaging and the local mail sink): police and partners schedule events in
London time, residents register, the ward's list and iCalendar feed show them; an event with
registrations is moved and cancelled, another followed up, and every registrant's mailbox gets
each change once (by messaging's reaction to engagement's events); the day-before reminder goes
once. Bad input changes nothing; another force gets 404."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope
from snp_engagement.adapters.read_models import TABLES
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.entrypoints.consumer import subscriptions
from snp_messaging.service_layer.events_notices import send_due_reminders
from snp_platform.eventstore import EventStore
from tests.integration.documents_world import Account, make_accounts
from tests.integration.membership_people import wait_for_account
from tests.integration.messaging_helpers import (
    Force,
    Person,
    add_members,
    body_text,
    mails_to,
    member_token,
    wait_until,
)

pytestmark = pytest.mark.integration
WARD, OTHER_WARD = "E05000139", "E05000140"
LONDON = ZoneInfo("Europe/London")


def _client(stack: Any, service: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=60)


def _london(at: datetime) -> str:
    """A wall-clock time in London, as an organiser types it (no offset)."""
    return at.astimezone(LONDON).replace(tzinfo=None).isoformat(timespec="minutes")


def _db(stack: Any, service: str) -> psycopg.Connection[Any]:
    return psycopg.connect(stack.service_database_url(service))


def _count(stack: Any, service: str, sql: str, *args: Any) -> int:
    with _db(stack, service) as conn:
        row = conn.execute(sql, args).fetchone()
    return int(row[0]) if row else 0


def _tables(stack: Any) -> dict[str, list[tuple[Any, ...]]]:
    with _db(stack, "engagement") as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


@pytest.fixture(scope="module")
def world(stack: Any) -> Iterator[dict[str, Any]]:
    """Force A: a ward panel in WARD (its chair), police, partners of two agencies, four
    residents with mailboxes; force B: police and a resident."""
    tenant, other = f"force-{uuid.uuid4().hex[:6]}", f"force-{uuid.uuid4().hex[:6]}"
    staff = make_accounts(
        stack, tenant, [("chair", "member"), ("police", "police"), ("council", "partner")]
    )
    staff |= make_accounts(stack, tenant, [("housing", "partner")])
    staff |= {
        f"b_{k}": v
        for k, v in make_accounts(stack, other, [("police", "police"), ("res", "member")]).items()
    }
    nobody = Person("", "", "")
    force = Force(tenant, f"Force {tenant}", nobody, nobody)
    residents = add_members(stack, force, ["ann", "bob", "cat", "dan"])
    chair, police = staff["chair"], staff["police"]
    with _client(stack, "membership") as membership:
        wait_for_account(stack, chair.account_id)
        body = {
            "group_type": "ward_panel",
            "name": f"Kings Cross Ward Panel {uuid.uuid4().hex[:4]}",
            "ward_code": WARD,
            "ward_name": "King's Cross",
            "first_chair": chair.account_id,
        }
        made = membership.post("/groups", json=body, headers=police.headers)
        assert made.status_code == 201, made.text
        panel = str(made.json()["group_id"])
    sql = "SELECT count(*) FROM group_roles WHERE group_id = %s AND role = 'chair'"
    wait_until(lambda: _count(stack, "engagement", sql, panel) == 1, what="the panel's chair")
    http_port, _ = stack.ports.services["identity"]
    with (
        httpx.Client(base_url=f"http://127.0.0.1:{http_port}/identity", timeout=30) as identity,
        _client(stack, "engagement") as api,
    ):
        tokens = {n: member_token(identity, force, p) for n, p in residents.items()}
        yield {
            "api": api,
            "tenant": tenant,
            "other": other,
            "panel": panel,
            "residents": residents,
            "tokens": tokens,
            **staff,
        }


def _as(world: dict[str, Any], name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world['tokens'][name]}"}


def _event(start: datetime, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "safety_surgery",
        "title": f"Safety surgery {uuid.uuid4().hex[:6]}",
        "description": "Come and talk to your ward team.",
        "ward_codes": [WARD],
        "starts_at": _london(start),
        "ends_at": _london(start + timedelta(hours=1)),
        "place": {"text": "Crowndale Centre", "postcode": "nw1 1bd"},
        "organising_agency": "Camden police ward team",
        "contact_role": "Ward sergeant",
        **changes,
    }


def _schedule(api: httpx.Client, who: Account, body: dict[str, Any]) -> str:
    made = api.post("/events", json=body, headers=who.headers)
    assert made.status_code == 201, made.text
    return str(made.json()["event_id"])


def _register(world: dict[str, Any], event_id: str, *names: str) -> None:
    for name in names:
        answer = world["api"].post(f"/events/{event_id}/registration", headers=_as(world, name))
        assert answer.status_code == 204, answer.text


def _in_messaging(stack: Any, event_id: str, registrants: int) -> None:
    sql = "SELECT count(*) FROM event_registrations WHERE event_id = %s"
    wait_until(
        lambda: _count(stack, "messaging", sql, event_id) == registrants,
        what="messaging's projection of the registrations",
    )


def _mails(stack: Any, person: Person, subject: str) -> list[Any]:
    return [m for m in mails_to(stack.maildir, person.email) if m["Subject"] == subject]


def _mailed(stack: Any, person: Person, subject: str) -> Callable[[], bool]:
    return lambda: bool(_mails(stack, person, subject))


def _feed(api: httpx.Client, tenant: str) -> dict[str, Any]:
    answer = api.get(f"/public/{tenant}/wards/{WARD}/events.ics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(answer.content)
    return {str(v["uid"]): v for v in calendar.walk("VEVENT")}


def test_an_event_with_registrations_is_moved_and_every_registrant_is_told(
    stack: Any, world: dict[str, Any]
) -> None:
    api, tenant, police = world["api"], world["tenant"], world["police"]
    residents = world["residents"]
    start = (datetime.now(UTC) + timedelta(days=10)).replace(second=0, microsecond=0)
    body = _event(start)
    event_id = _schedule(api, police, body)
    _register(world, event_id, "ann", "bob", "bob", "cat")  # bob twice: registered once
    assert (
        api.delete(f"/events/{event_id}/registration", headers=_as(world, "cat")).status_code == 204
    )

    listed = api.get(f"/public/{tenant}/wards/{WARD}/events").json()["events"]
    shown = next(e for e in listed if e["event_id"] == event_id)
    assert shown["starts_at"] == start.isoformat().replace("+00:00", "Z")  # stored in UTC
    assert shown["place"] == {
        "text": "Crowndale Centre",
        "postcode": "NW1 1BD",
        "to_be_confirmed": False,
    }
    assert (shown["status"], shown["sequence"]) == ("scheduled", 0)
    assert not {"scheduled_by", "agency", "group_id"} & set(shown)
    assert event_id in {e["event_id"] for e in api.get(f"/public/{tenant}/events").json()["events"]}

    seen = api.get(f"/events/{event_id}/registrations", headers=police.headers).json()
    assert seen["count"] == 2
    assert set(seen["account_ids"]) == {residents["ann"].account_id, residents["bob"].account_id}
    refused = api.get(f"/events/{event_id}/registrations", headers=_as(world, "ann"))
    assert refused.status_code == 403, refused.text
    mine = api.get(f"/events/{event_id}", headers=_as(world, "ann")).json()
    assert mine["registered"] is True

    uid = f"{event_id}@engagement.safer-neighbourhoods"
    vevent = _feed(api, tenant)[uid]
    assert vevent.decoded("dtstart") == start and int(vevent["sequence"]) == 0

    _in_messaging(stack, event_id, 2)
    later = start + timedelta(days=1, hours=2)
    move = {
        "starts_at": _london(later),
        "ends_at": _london(later + timedelta(hours=2)),
        "place": {"text": "Somers Town Community Centre", "postcode": "NW1 1HS"},
    }
    moved = api.post(f"/events/{event_id}/move", json=move, headers=police.headers)
    assert moved.status_code == 204, moved.text
    subject = f"Changed: {body['title']}"
    for name in ("ann", "bob"):
        wait_until(_mailed(stack, residents[name], subject), what=f"{name}'s mail")
        text = body_text(_mails(stack, residents[name], subject)[0])
        assert "Somers Town Community Centre" in text
        assert later.astimezone(LONDON).strftime("%H:%M") in text
    vevent = _feed(api, tenant)[uid]
    assert vevent.decoded("dtstart") == later and int(vevent["sequence"]) == 1

    cancelled = api.post(
        f"/events/{event_id}/cancel",
        json={"reason": "The centre is closed."},
        headers=police.headers,
    )
    assert cancelled.status_code == 204, cancelled.text
    gone = f"Cancelled: {body['title']}"
    for name in ("ann", "bob"):
        wait_until(_mailed(stack, residents[name], gone), what=f"{name}'s notice")
    vevent = _feed(api, tenant)[uid]
    assert (str(vevent["status"]), int(vevent["sequence"])) == ("CANCELLED", 2)
    # Each change told each registrant once; the one who withdrew, and the others, nothing.
    assert [
        len(_mails(stack, residents[n], s)) for n in ("ann", "bob") for s in (subject, gone)
    ] == [1] * 4
    assert not _mails(stack, residents["cat"], subject) + _mails(stack, residents["dan"], subject)
    again = api.post(f"/events/{event_id}/registration", headers=_as(world, "dan"))
    assert again.status_code == 409, again.text


def test_a_redelivered_change_tells_nobody_twice(stack: Any, world: dict[str, Any]) -> None:
    """Messaging's reaction runs once per engagement event id: the move's envelope fed to the
    consumer again (a redelivery, or a replay) records no second notice."""
    api, police = world["api"], world["police"]
    start = (datetime.now(UTC) + timedelta(days=12)).replace(second=0, microsecond=0)
    event_id = _schedule(api, police, _event(start))
    _register(world, event_id, "dan")
    _in_messaging(stack, event_id, 1)
    later = start + timedelta(hours=1)
    move = {
        "starts_at": _london(later),
        "ends_at": _london(later + timedelta(hours=1)),
        "place": {"to_be_confirmed": True},
    }
    assert (
        api.post(f"/events/{event_id}/move", json=move, headers=police.headers).status_code == 204
    )
    sql = "SELECT count(*) FROM messages WHERE audience_type = 'event' AND audience_id = %s"
    wait_until(lambda: _count(stack, "messaging", sql, event_id) == 1, what="the notice")
    with ConnectionPool(stack.service_database_url("engagement"), min_size=1, max_size=1) as pool:
        envelope = next(
            e.to_envelope("engagement")
            for e in EventStore(pool).read_all()
            if e.stream.stream_id == f"event:{event_id}" and e.event_type.endswith("EventMoved")
        )
    with ConnectionPool(stack.service_database_url("messaging"), min_size=1, max_size=2) as pool:
        consume = subscriptions(MessagingStreams(EventStore(pool)), "http://portal.test")
        with pool.connection() as conn, conn.transaction():
            consume(conn, EventEnvelope.FromString(envelope.SerializeToString()))
    assert _count(stack, "messaging", sql, event_id) == 1


def test_partners_follow_up_their_own_events_and_registrants_hear_what_happens_next(
    stack: Any, world: dict[str, Any]
) -> None:
    api, council, housing, police = (
        world["api"],
        world["council"],
        world["housing"],
        world["police"],
    )
    residents = world["residents"]
    # A walkabout under way: it started ten minutes ago and ends within the hour.
    start = datetime.now(UTC) - timedelta(minutes=10)
    body = _event(
        start,
        kind="walkabout",
        title=f"Walkabout {uuid.uuid4().hex[:6]}",
        organising_agency="Camden Council ASB team",
    )
    event_id = _schedule(api, council, body)
    _register(world, event_id, "ann")
    _in_messaging(stack, event_id, 1)
    plan = api.post(
        f"/panels/{world['panel']}/periods/2027-Q2/priorities",
        json={"title": "Cycling on pavements", "category": "road_safety"},
        headers=world["chair"].headers,
    )
    assert plan.status_code == 201, plan.text
    priority = plan.json()["priority_id"]
    outcome = {
        "issues_raised": ["Cyclists on the Euston Road pavement"],
        "actions_agreed": [{"description": "Joint patrols on Fridays", "priority_id": priority}],
    }
    # Only the organising agency follows up: another partner agency and police get 403.
    for other in (housing, police):
        refused = api.put(f"/events/{event_id}/outcome", json=outcome, headers=other.headers)
        assert refused.status_code == 403, refused.text
    wrong = {**outcome, "actions_agreed": [{"description": "x", "priority_id": str(uuid.uuid4())}]}
    assert (
        api.put(f"/events/{event_id}/outcome", json=wrong, headers=council.headers).status_code
        == 422
    )
    done = api.put(f"/events/{event_id}/outcome", json=outcome, headers=council.headers)
    assert done.status_code == 204, done.text
    subject = f"What happens next: {body['title']}"
    wait_until(lambda: bool(_mails(stack, residents["ann"], subject)), what="the follow-up")
    text = body_text(_mails(stack, residents["ann"], subject)[0])
    assert "Cyclists on the Euston Road pavement" in text and "Joint patrols on Fridays" in text
    shown = api.get(f"/events/{event_id}", headers=council.headers).json()
    assert shown["outcome"]["actions_agreed"] == [
        {"description": "Joint patrols on Fridays", "priority_id": priority}
    ]
    assert (
        api.put(f"/events/{event_id}/outcome", json=outcome, headers=council.headers).status_code
        == 409
    )
    mine = api.get(f"/events/{event_id}/registrations", headers=council.headers)
    assert mine.status_code == 200 and mine.json()["count"] == 1
    theirs = api.get(f"/events/{event_id}/registrations", headers=housing.headers)
    assert theirs.status_code == 403


def _panel_in(stack: Any, world: dict[str, Any], ward: str) -> str:
    """Another ward panel of force A, chaired by the same chair."""
    with _client(stack, "membership") as membership:
        body = {
            "group_type": "ward_panel",
            "name": f"Another Ward Panel {uuid.uuid4().hex[:4]}",
            "ward_code": ward,
            "ward_name": "Somers Town",
            "first_chair": world["chair"].account_id,
        }
        made = membership.post("/groups", json=body, headers=world["police"].headers)
        assert made.status_code == 201, made.text
    panel = str(made.json()["group_id"])
    sql = "SELECT count(*) FROM group_roles WHERE group_id = %s AND role = 'chair'"
    wait_until(lambda: _count(stack, "engagement", sql, panel) == 1, what="the chair")
    return panel


def _priority(world: dict[str, Any], panel: str, period: str, title: str) -> str:
    made = world["api"].post(
        f"/panels/{panel}/periods/{period}/priorities",
        json={"title": title, "category": "asb"},
        headers=world["chair"].headers,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["priority_id"])


def test_actions_agreed_at_an_event_link_to_its_wards_priorities_and_it_counts_who_came(
    stack: Any, world: dict[str, Any]
) -> None:
    api, police, chair, tenant = world["api"], world["police"], world["chair"], world["tenant"]
    period = "2027-Q3"
    ours = _priority(world, world["panel"], period, "Drug dealing by the canal")
    elsewhere = _priority(world, _panel_in(stack, world, "E05000141"), period, "Fly-tipping")
    body = _event(datetime.now(UTC) - timedelta(minutes=10), kind="walkabout")
    event_id = _schedule(api, police, body)
    # The organiser is offered the priorities of its wards' panels, never a panel's name.
    offered = api.get(f"/events/{event_id}/priorities", headers=police.headers)
    assert offered.status_code == 200, offered.text
    linkable = offered.json()["priorities"]
    assert [p["priority_id"] for p in linkable if p["period"] == period] == [ours]
    assert set(linkable[0]) == {"priority_id", "title", "period", "ward_code"}
    assert (
        api.get(f"/events/{event_id}/priorities", headers=world["housing"].headers).status_code
        == 403
    )
    before = _tables(stack)
    outcome: dict[str, Any]
    for wrong in (elsewhere, str(uuid.uuid4())):
        outcome = {"actions_agreed": [{"description": "Clear it", "priority_id": wrong}]}
        refused = api.put(f"/events/{event_id}/outcome", json=outcome, headers=police.headers)
        assert refused.status_code == 422, refused.text
        assert "in this event's wards" in refused.json()["detail"]
    for count in (-1, 100_001, "many"):
        outcome = {"issues_raised": ["Needles"], "attendance": count}
        refused = api.put(f"/events/{event_id}/outcome", json=outcome, headers=police.headers)
        assert refused.status_code == 422, refused.text
    assert _tables(stack) == before
    outcome = {
        "issues_raised": ["Needles on the towpath"],
        "actions_agreed": [
            {"description": "Weekly patrols along the towpath", "priority_id": ours},
            {"description": "Ask the council for more lighting"},
        ],
        "attendance": 17,
    }
    done = api.put(f"/events/{event_id}/outcome", json=outcome, headers=police.headers)
    assert done.status_code == 204, done.text
    listed = api.get(f"/public/{tenant}/wards/{WARD}/events").json()["events"]
    [public] = [e for e in listed if e["event_id"] == event_id]
    assert public["outcome"]["attendance"] == 17
    agreed = {
        "event_id": event_id,
        "title": body["title"],
        "starts_at": public["starts_at"],
        "description": "Weekly patrols along the towpath",
    }
    plan = api.get(f"/panels/{world['panel']}/periods/{period}", headers=chair.headers).json()
    [priority] = [p for p in plan["priorities"] if p["priority_id"] == ours]
    assert priority["agreed_at_events"] == [agreed]
    # A partner reads the plan (a hidden panel's too) with its ward's code, never its name.
    theirs = api.get(f"/panels/{world['panel']}/periods/{period}", headers=world["council"].headers)
    assert theirs.status_code == 200, theirs.text
    assert theirs.json()["ward_code"] == WARD and "Kings Cross Ward Panel" not in theirs.text
    assert "name" not in theirs.json()
    published = api.post(
        f"/panels/{world['panel']}/periods/{period}/publish", headers=chair.headers
    )
    assert published.status_code == 204, published.text
    ward = api.get(f"/public/{tenant}/wards/{WARD}/priorities").json()
    [shown] = [p for pl in ward["plans"] for p in pl["priorities"] if p["priority_id"] == ours]
    assert shown["agreed_at_events"] == [agreed]


def test_panel_meetings_are_scheduled_by_the_panels_officers(world: dict[str, Any]) -> None:
    api, chair, police, panel = world["api"], world["chair"], world["police"], world["panel"]
    start = datetime.now(UTC) + timedelta(days=20)
    body = _event(
        start,
        kind="panel_meeting",
        ward_codes=[],
        group_id=panel,
        place={"to_be_confirmed": True},
        organising_agency="King's Cross Ward Panel",
    )
    assert api.post("/events", json=body, headers=police.headers).status_code == 403
    event_id = _schedule(api, chair, body)
    shown = api.get(f"/events/{event_id}", headers=chair.headers).json()
    assert shown["ward_codes"] == [WARD] and shown["location"] == "Location to be confirmed"
    later = start + timedelta(days=1)
    move = {
        "starts_at": _london(later),
        "ends_at": _london(later + timedelta(hours=1)),
        "place": {"text": "Town hall"},
    }
    assert (
        api.post(f"/events/{event_id}/move", json=move, headers=police.headers).status_code == 403
    )
    assert api.post(f"/events/{event_id}/move", json=move, headers=chair.headers).status_code == 204
    # The panel's officers schedule its meetings, nothing else (and only a meeting names a panel).
    assert api.post("/events", json=_event(start), headers=chair.headers).status_code == 403
    named = api.post("/events", json=_event(start, group_id=panel), headers=police.headers)
    assert named.status_code == 422, named.text


def test_the_day_before_registrants_are_reminded_once(stack: Any, world: dict[str, Any]) -> None:
    api, police, residents = world["api"], world["police"], world["residents"]
    start = (datetime.now(UTC) + timedelta(hours=3)).replace(second=0, microsecond=0)
    body = _event(
        start, title=f"Women's safety walk {uuid.uuid4().hex[:6]}", kind="womens_safety_walk"
    )
    event_id = _schedule(api, police, body)
    _register(world, event_id, "bob")
    _in_messaging(stack, event_id, 1)
    subject = f"Reminder: {body['title']}"
    # The relay role's job looks every minute; running it here as well sends nothing twice.
    with ConnectionPool(stack.service_database_url("messaging"), min_size=1, max_size=2) as pool:
        streams = MessagingStreams(EventStore(pool))
        send_due_reminders(streams, pool)
        wait_until(
            lambda: bool(_mails(stack, residents["bob"], subject)), timeout=150, what="reminder"
        )
        assert send_due_reminders(streams, pool) == 0
    time.sleep(2)
    assert len(_mails(stack, residents["bob"], subject)) == 1
    assert f"When: {start.astimezone(LONDON).strftime('%a %-d %B %Y, %H:%M')}" in body_text(
        _mails(stack, residents["bob"], subject)[0]
    )


def test_an_event_over_a_weekend_ends_on_its_later_day_on_londons_clock(
    world: dict[str, Any],
) -> None:
    """Saturday 10:00 BST to Sunday 16:00 GMT across the clocks going back (the last Sunday
    of October): 31 hours; a week on London's clock is allowed, a minute more is a 422."""
    api, police, tenant = world["api"], world["police"], world["tenant"]
    year = datetime.now(UTC).year + 1
    sunday = datetime(year, 10, 31) - timedelta(days=(datetime(year, 10, 31).weekday() + 1) % 7)
    saturday = sunday - timedelta(days=1)
    weekend = _event(
        datetime.now(UTC),
        kind="engagement_day",
        starts_at=f"{saturday:%Y-%m-%d}T10:00",
        ends_at=f"{sunday:%Y-%m-%d}T16:00",
    )
    event_id = _schedule(api, police, weekend)
    listed = {
        e["event_id"]: e for e in api.get(f"/public/{tenant}/wards/{WARD}/events").json()["events"]
    }
    shown = listed[event_id]
    assert (shown["starts_at"], shown["ends_at"]) == (
        f"{saturday:%Y-%m-%d}T09:00:00Z",
        f"{sunday:%Y-%m-%d}T16:00:00Z",
    )
    assert shown["ends_at_london"] == f"{sunday:%a %-d %B %Y}, 16:00"
    vevent = _feed(api, tenant)[f"{event_id}@engagement.safer-neighbourhoods"]
    assert vevent.decoded("dtend") == datetime(year, 10, sunday.day, 16, tzinfo=UTC)
    assert vevent.decoded("dtend") - vevent.decoded("dtstart") == timedelta(hours=31)
    week_end = saturday + timedelta(days=7)
    week = {**weekend, "ends_at": f"{week_end:%Y-%m-%d}T10:00", "title": "A week"}
    assert api.post("/events", json=week, headers=police.headers).status_code == 201
    longer = {**week, "ends_at": f"{week_end:%Y-%m-%d}T10:01"}
    refused = api.post("/events", json=longer, headers=police.headers)
    assert refused.status_code == 422 and "7 days" in refused.json()["detail"], refused.text
    moved = api.post(
        f"/events/{event_id}/move",
        json={
            "starts_at": weekend["starts_at"],
            "ends_at": longer["ends_at"],
            "place": {"text": "Hall"},
        },
        headers=police.headers,
    )
    assert moved.status_code == 422, moved.text


def test_each_organiser_lists_their_own_events(world: dict[str, Any]) -> None:
    api, police, council, housing = (world[k] for k in ("api", "police", "council", "housing"))
    chair, start = world["chair"], datetime.now(UTC) + timedelta(days=50)
    by_police = _schedule(api, police, _event(start))
    by_council = _schedule(api, council, _event(start, organising_agency="Camden Council"))
    meeting = _event(start, kind="panel_meeting", group_id=world["panel"], ward_codes=[])
    by_panel = _schedule(api, chair, meeting)

    def mine(who: Account) -> list[str]:
        answer = api.get("/events", params={"mine": "true"}, headers=who.headers)
        assert answer.status_code == 200, answer.text
        listed = answer.json()["events"]
        assert all("scheduled_by" not in e and "agency" not in e for e in listed)
        return [e["event_id"] for e in listed]

    police_list, council_list = mine(police), mine(council)
    assert by_police in police_list and by_council not in police_list
    assert by_panel not in police_list
    assert by_council in council_list and by_police not in council_list
    assert not {by_police, by_council, by_panel} & set(mine(housing))
    assert by_panel in mine(chair) and by_police not in mine(chair)
    assert not {by_police, by_council, by_panel} & set(mine(world["b_police"]))
    # Upcoming first, soonest first, as the public lists.
    starts = [
        e["starts_at"]
        for e in api.get("/events", params={"mine": "true"}, headers=police.headers).json()[
            "events"
        ]
        if e["ends_at"] > datetime.now(UTC).isoformat()
    ]
    assert starts == sorted(starts)
    assert api.get("/events", headers=police.headers).status_code == 422


def test_bad_input_is_a_422_problem_and_records_nothing(stack: Any, world: dict[str, Any]) -> None:
    api, police = world["api"], world["police"]
    start = datetime.now(UTC) + timedelta(days=30)
    existing = _schedule(api, police, _event(start))
    before, tables = _count(stack, "engagement", "SELECT count(*) FROM events"), _tables(stack)
    answers = {
        "end before start": api.post(
            "/events",
            json=_event(start, ends_at=_london(start - timedelta(hours=1))),
            headers=police.headers,
        ),
        "unknown ward": api.post(
            "/events", json=_event(start, ward_codes=[OTHER_WARD]), headers=police.headers
        ),
        "bad postcode": api.post(
            "/events",
            json=_event(start, place={"text": "Hall", "postcode": "NOT A CODE"}),
            headers=police.headers,
        ),
        "100 kB of text": api.post(
            "/events", json=_event(start, description="x" * 100_000), headers=police.headers
        ),
        "no place": api.post(
            "/events", json=_event(start, place={"text": ""}), headers=police.headers
        ),
        "unknown kind": api.post(
            "/events", json=_event(start, kind="party"), headers=police.headers
        ),
        "not a time": api.post(
            "/events", json=_event(start, starts_at="next Tuesday 6pm"), headers=police.headers
        ),
        "move ends first": api.post(
            f"/events/{existing}/move",
            json={
                "starts_at": _london(start),
                "ends_at": _london(start - timedelta(minutes=5)),
                "place": {"text": "Hall"},
            },
            headers=police.headers,
        ),
        "100 kB reason": api.post(
            f"/events/{existing}/cancel", json={"reason": "x" * 100_000}, headers=police.headers
        ),
    }
    for what, answer in answers.items():
        assert answer.status_code == 422, (what, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json"), what
    assert "ward" in answers["unknown ward"].json()["detail"]
    assert "postcode" in answers["bad postcode"].json()["detail"]
    assert _count(stack, "engagement", "SELECT count(*) FROM events") == before
    assert _tables(stack) == tables


def test_another_force_gets_404_on_everything(world: dict[str, Any]) -> None:
    api, tenant, police = world["api"], world["tenant"], world["police"]
    b_police, b_res = world["b_police"], world["b_res"]
    event_id = _schedule(api, police, _event(datetime.now(UTC) + timedelta(days=40)))
    move = {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00", "place": {"text": "x"}}
    answers = [
        api.get(f"/events/{event_id}", headers=b_police.headers),
        api.get(f"/events/{event_id}/registrations", headers=b_police.headers),
        api.post(f"/events/{event_id}/move", json=move, headers=b_police.headers),
        api.post(f"/events/{event_id}/cancel", json={}, headers=b_police.headers),
        api.post(f"/events/{event_id}/registration", headers=b_res.headers),
        api.delete(f"/events/{event_id}/registration", headers=b_res.headers),
        api.get(f"/events/{uuid.uuid4()}", headers=police.headers),
        api.get(f"/public/{world['other']}/wards/{WARD}/events"),
        api.get(f"/public/{world['other']}/wards/{WARD}/events.ics"),
        api.get(f"/public/{tenant}/wards/{OTHER_WARD}/events"),
    ]
    for answer in answers:
        assert answer.status_code == 404, answer.text
    assert api.get(f"/events/{event_id}", headers=police.headers).json()["status"] == "scheduled"
