"""What messaging tells an engagement event's registrants, worded from engagement's events
and messaging's projection of the event (London's wall clock, the place or that it is to be
confirmed); the projection itself is state only."""

from __future__ import annotations

from datetime import UTC, datetime

from snp.engagement.v1 import events_pb2 as engagement
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters.events_registrations import EventRow
from snp_messaging.service_layer.events_notices import notice, when, where

SUMMER = datetime(2027, 7, 4, 17, 30, tzinfo=UTC)  # 18:30 in London (BST)


def event(**changes: object) -> EventRow:
    fields: dict[str, object] = {
        "event_id": "ev1",
        "tenant": "met",
        "title": "Safety surgery",
        "organising_agency": "Camden police ward team",
        "starts_at": SUMMER,
        "ends_at": SUMMER.replace(hour=19, minute=0),
        "place_text": "Crowndale Centre",
        "postcode": "NW1 1BD",
        "place_tbc": False,
    }
    return EventRow(tuple((fields | changes).values()))


def envelope(message: object, name: str) -> EventEnvelope:
    payload = message.SerializeToString()  # type: ignore[attr-defined]
    return EventEnvelope(event_type=f"engagement.{name}", payload=payload)


def test_times_are_told_on_londons_clock_and_places_plainly() -> None:
    assert when(event()) == "Sun 4 July 2027, 18:30 to 20:00"
    assert where(event()) == "Crowndale Centre, NW1 1BD"
    assert where(event(place_text="", postcode="", place_tbc=True)) == "Location to be confirmed"


def test_each_change_has_its_own_notice_and_other_events_none() -> None:
    moved = notice(envelope(engagement.EventMoved(event_id="ev1"), "EventMoved"), event())
    assert moved is not None and moved[0] == "Changed: Safety surgery"
    assert "Now: Sun 4 July 2027, 18:30" in moved[1] and "Crowndale Centre" in moved[1]
    off = engagement.EventCancelled(event_id="ev1", reason="The centre is closed.")
    cancelled = notice(envelope(off, "EventCancelled"), event())
    assert cancelled == (
        "Cancelled: Safety surgery",
        "Safety surgery (Sun 4 July 2027, 18:30 to 20:00) is cancelled.\n\n"
        "Why: The centre is closed.",
    )
    outcome = engagement.EventOutcomeRecorded(
        event_id="ev1",
        issues_raised=["Cycling on pavements"],
        actions_agreed=[engagement.AgreedAction(description="Patrols on Fridays")],
    )
    followed = notice(envelope(outcome, "EventOutcomeRecorded"), event())
    assert followed is not None and followed[0] == "What happens next: Safety surgery"
    assert "- Cycling on pavements" in followed[1] and "- Patrols on Fridays" in followed[1]
    registered = engagement.InterestRegistered(event_id="ev1", account_id="m1")
    assert notice(envelope(registered, "InterestRegistered"), event()) is None
