"""An action an agency records against a priority, and the panel's review of it.

Which agency may edit an action is the policy's question (the recording agency only); here are
the rules every edit keeps, whoever makes it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain.rules import (
    STATUSES,
    VERDICTS,
    InvalidInput,
    checked_one_of,
)


@dataclass
class Action:
    action_id: str
    priority_id: str
    group_id: str
    agency: str
    description: str
    done_on: str
    status: str
    outcome: str
    verdict: str = ""
    comment: str = ""


def evolve(action: Action | None, event: Message) -> Action | None:
    if isinstance(event, pb.ActionRecorded):
        return Action(
            event.action_id,
            event.priority_id,
            event.group_id,
            event.agency,
            event.description,
            event.done_on,
            event.status,
            event.outcome,
        )
    if action is None:
        return None
    if isinstance(event, pb.ActionUpdated):
        action.description, action.done_on = event.description, event.done_on
        action.status, action.outcome = event.status, event.outcome
    elif isinstance(event, pb.ActionReviewed):
        action.verdict, action.comment = event.verdict, event.comment
    return action


def fold(events: Iterable[Message]) -> Action | None:
    action: Action | None = None
    for event in events:
        action = evolve(action, event)
    return action


def record(
    action_id: str,
    priority_id: str,
    group_id: str,
    period: str,
    agency: str,
    what: tuple[str, str, str, str],
    by: str,
) -> list[Message]:
    """`what` is (description, done_on, status, outcome)."""
    description, done_on, status, outcome = what
    if not agency:
        raise InvalidInput("an action is recorded for an agency; this account has none")
    return [
        pb.ActionRecorded(
            action_id=action_id,
            priority_id=priority_id,
            group_id=group_id,
            period=period,
            agency=agency,
            description=description,
            done_on=done_on,
            status=checked_one_of(status, STATUSES, "status"),
            outcome=outcome,
            recorded_by=by,
        )
    ]


def update(action: Action, what: tuple[str, str, str, str], by: str) -> list[Message]:
    description, done_on, status, outcome = what
    checked_one_of(status, STATUSES, "status")
    if (action.description, action.done_on, action.status, action.outcome) == what:
        return []
    return [
        pb.ActionUpdated(
            action_id=action.action_id,
            priority_id=action.priority_id,
            agency=action.agency,
            description=description,
            done_on=done_on,
            status=status,
            outcome=outcome,
            updated_by=by,
        )
    ]


def review(action: Action, verdict: str, comment: str, by: str) -> list[Message]:
    """The panel holds the agency to account: accepted, or not delivered (a comment says why)."""
    checked_one_of(verdict, VERDICTS, "verdict")
    if verdict == "not_delivered" and not comment.strip():
        raise InvalidInput("say why an action was not delivered")
    if (action.verdict, action.comment) == (verdict, comment):
        return []
    return [
        pb.ActionReviewed(
            action_id=action.action_id,
            priority_id=action.priority_id,
            group_id=action.group_id,
            verdict=verdict,
            comment=comment,
            reviewed_by=by,
        )
    ]
