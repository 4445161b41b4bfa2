"""A resident's interest in an engagement event: registered or not. Each resident's interest
in each event is its own stream, so that a popular event never makes registrations conflict."""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain.events_schedule import EngagementEvent
from snp_engagement.domain.rules import RuleBroken


def registered(changes: Iterable[Message]) -> bool:
    """Whether the resident's interest stands after these events of their stream."""
    standing = False
    for change in changes:
        if isinstance(change, pb.InterestRegistered):
            standing = True
        elif isinstance(change, pb.InterestWithdrawn):
            standing = False
    return standing


def register(event: EngagementEvent, account_id: str, standing: bool, now: int) -> list[Message]:
    """Registering again changes nothing. Only an event still to come takes registrations."""
    if event.cancelled:
        raise RuleBroken("this event is cancelled")
    if event.ends_at <= now:
        raise RuleBroken("this event is over")
    if standing:
        return []
    return [pb.InterestRegistered(event_id=event.event_id, account_id=account_id)]


def withdraw(event: EngagementEvent, account_id: str, standing: bool) -> list[Message]:
    """Withdrawing is always possible (even from a cancelled event); twice changes nothing."""
    if not standing:
        return []
    return [pb.InterestWithdrawn(event_id=event.event_id, account_id=account_id)]
