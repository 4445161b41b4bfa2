"""An engagement event of the force, from scheduling to its outcome.

Commands take the folded event (and the time now, so that the rules stay pure) and return the
events that record the decision. Who may ask is the policy's question; which wards exist is
the service layer's (the wards of the force's ward panels)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain.events_places import Place
from snp_engagement.domain.rules import InvalidInput, RuleBroken, checked_one_of

KINDS = frozenset(
    {"safety_surgery", "walkabout", "womens_safety_walk", "engagement_day", "panel_meeting"}
)
PANEL_MEETING = "panel_meeting"
PANEL_AGENCY = "ward_panel"  # a panel meeting is organised by the panel, not an agency
MAX_WARDS = 20
MAX_ITEMS = 20  # issues raised, and actions agreed
MAX_ATTENDANCE = 100_000  # a stadium, not a typo's thousands


@dataclass(frozen=True)
class Details:
    """What an organiser says about an event when scheduling it."""

    kind: str
    title: str
    description: str
    ward_codes: tuple[str, ...]
    starts_at: int  # UTC epoch seconds
    ends_at: int
    place: Place
    organising_agency: str
    contact_role: str


@dataclass
class EngagementEvent:
    event_id: str
    kind: str
    starts_at: int
    ends_at: int
    place: Place
    sequence: int = 0
    cancelled: bool = False
    outcome_recorded: bool = False
    ward_codes: list[str] = field(default_factory=list)


def _place(place: pb.EventPlace) -> Place:
    return Place(place.text, place.postcode, place.to_be_confirmed)


def _pb_place(place: Place) -> pb.EventPlace:
    return pb.EventPlace(
        text=place.text, postcode=place.postcode, to_be_confirmed=place.to_be_confirmed
    )


def evolve(event: EngagementEvent | None, change: Message) -> EngagementEvent | None:
    if isinstance(change, pb.EventScheduled):
        return EngagementEvent(
            change.event_id,
            change.kind,
            change.starts_at,
            change.ends_at,
            _place(change.place),
            ward_codes=list(change.ward_codes),
        )
    if event is None:
        return None
    if isinstance(change, pb.EventMoved):
        event.starts_at, event.ends_at = change.starts_at, change.ends_at
        event.place, event.sequence = _place(change.place), change.sequence
    elif isinstance(change, pb.EventCancelled):
        event.cancelled, event.sequence = True, change.sequence
    elif isinstance(change, pb.EventOutcomeRecorded):
        event.outcome_recorded = True
    return event


def fold(changes: Iterable[Message]) -> EngagementEvent | None:
    event: EngagementEvent | None = None
    for change in changes:
        event = evolve(event, change)
    return event


def schedule(
    event_id: str, details: Details, agency: str, group_id: str, by: str, now: int
) -> list[Message]:
    """A new event. `agency` organises it ("police", a partner agency's id, or the panel for
    a panel meeting, whose `group_id` is the panel)."""
    checked_one_of(details.kind, KINDS, "kind")
    if not agency:
        raise InvalidInput("an event is organised by an agency; this account has none")
    if not details.ward_codes or len(set(details.ward_codes)) > MAX_WARDS:
        raise InvalidInput(f"an event is in 1 to {MAX_WARDS} wards")
    if details.ends_at <= now:
        raise InvalidInput("an event is scheduled before it ends, not after")
    return [
        pb.EventScheduled(
            event_id=event_id,
            kind=details.kind,
            title=details.title,
            description=details.description,
            ward_codes=list(dict.fromkeys(details.ward_codes)),
            starts_at=details.starts_at,
            ends_at=details.ends_at,
            place=_pb_place(details.place),
            agency=agency,
            organising_agency=details.organising_agency,
            contact_role=details.contact_role,
            group_id=group_id,
            scheduled_by=by,
        )
    ]


def _still_to_come(event: EngagementEvent, now: int, doing: str) -> None:
    if event.cancelled:
        raise RuleBroken(f"a cancelled event cannot be {doing}")
    if event.ends_at <= now:
        raise RuleBroken(f"an event that is over cannot be {doing}")


def move(
    event: EngagementEvent, times: tuple[int, int], place: Place, by: str, now: int
) -> list[Message]:
    """New times or a new place: everyone registered is told, and calendars see a new
    SEQUENCE. Nothing changed: nothing recorded (and nobody told)."""
    _still_to_come(event, now, "moved")
    starts_at, ends_at = times
    if (event.starts_at, event.ends_at, event.place) == (starts_at, ends_at, place):
        return []
    if ends_at <= now:
        raise InvalidInput("an event is moved to a time that is still to come")
    return [
        pb.EventMoved(
            event_id=event.event_id,
            starts_at=starts_at,
            ends_at=ends_at,
            place=_pb_place(place),
            sequence=event.sequence + 1,
            moved_by=by,
        )
    ]


def cancel(event: EngagementEvent, reason: str, by: str, now: int) -> list[Message]:
    """Cancelling twice records nothing the second time (and tells nobody again)."""
    if event.cancelled:
        return []
    _still_to_come(event, now, "cancelled")
    return [
        pb.EventCancelled(
            event_id=event.event_id, reason=reason, sequence=event.sequence + 1, cancelled_by=by
        )
    ]


def record_outcome(
    event: EngagementEvent,
    issues: Sequence[str],
    actions: Sequence[tuple[str, str]],
    by: str,
    now: int,
    attendance: int | None = None,
) -> list[Message]:
    """After the event (it has started): the issues raised and the actions agreed, each
    `(description, priority_id or "")`, and how many came when the organiser counted
    (`None`: not said, which is not the same as nobody). Recorded once: registrants are told
    once."""
    if event.cancelled:
        raise RuleBroken("a cancelled event has no outcome")
    if event.starts_at > now:
        raise RuleBroken("an outcome is recorded once the event has taken place")
    if event.outcome_recorded:
        raise RuleBroken("this event's outcome is already recorded")
    issues = [i.strip() for i in issues if i.strip()]
    agreed = [(d.strip(), p) for d, p in actions if d.strip()]
    if not issues and not agreed:
        raise InvalidInput("an outcome names an issue raised or an action agreed")
    if len(issues) > MAX_ITEMS or len(agreed) > MAX_ITEMS:
        raise InvalidInput(f"at most {MAX_ITEMS} issues and {MAX_ITEMS} actions")
    if attendance is not None and not 0 <= attendance <= MAX_ATTENDANCE:
        raise InvalidInput(f"the attendance is a count from 0 to {MAX_ATTENDANCE:,}")
    return [
        pb.EventOutcomeRecorded(
            event_id=event.event_id,
            issues_raised=issues,
            actions_agreed=[pb.AgreedAction(description=d, priority_id=p) for d, p in agreed],
            recorded_by=by,
            attendance=attendance,
        )
    ]
