"""A ward panel's members propose candidate priorities for a period and vote on them, one vote
each; the panel's officers close the vote and adopt candidates as priorities. This replaces the
paper survey: the officers still decide, now from counts everyone can trust.

A ballot is folded from its own stream; each member's vote is a stream of its own, so members
voting at once never conflict and "one vote per member" is a stream, not a check."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain.priorities import Plan, set_priority
from snp_engagement.domain.rules import (
    CATEGORIES,
    RuleBroken,
    UnknownPriority,
    checked_one_of,
    checked_period,
)

MAX_CANDIDATES = 50  # a ballot a member can read to the end


@dataclass(frozen=True)
class Candidate:
    candidate_id: str
    title: str
    description: str
    category: str


@dataclass
class Ballot:
    group_id: str
    period: str
    candidates: dict[str, Candidate] = field(default_factory=dict)
    closed: bool = False


def evolve(ballot: Ballot, event: Message) -> Ballot:
    if isinstance(event, pb.CandidateProposed):
        ballot.candidates[event.candidate_id] = Candidate(
            event.candidate_id, event.title, event.description, event.category
        )
    elif isinstance(event, pb.VotingClosed):
        ballot.closed = True
    return ballot


def fold(group_id: str, period: str, events: Iterable[Message]) -> Ballot:
    ballot = Ballot(group_id, checked_period(period))
    for event in events:
        ballot = evolve(ballot, event)
    return ballot


def propose(
    ballot: Ballot,
    candidate_id: str,
    ward_code: str,
    title: str,
    description: str,
    category: str,
    by: str,
) -> list[Message]:
    _require_open(ballot)
    if len(ballot.candidates) >= MAX_CANDIDATES:
        raise RuleBroken(f"a ballot has at most {MAX_CANDIDATES} candidates")
    wanted = " ".join(title.split()).casefold()
    if any(" ".join(c.title.split()).casefold() == wanted for c in ballot.candidates.values()):
        raise RuleBroken("a candidate with this title has been proposed already: vote for it")
    return [
        pb.CandidateProposed(
            candidate_id=candidate_id,
            group_id=ballot.group_id,
            ward_code=ward_code,
            period=ballot.period,
            title=title,
            description=description,
            category=checked_one_of(category, CATEGORIES, "category"),
            proposed_by=by,
        )
    ]


def vote(ballot: Ballot, current: str | None, candidate_id: str, voter: str) -> list[Message]:
    """The member's vote; `current` is their vote so far (the same again records nothing)."""
    _require_open(ballot)
    if candidate_id not in ballot.candidates:
        raise UnknownPriority(candidate_id)
    if current == candidate_id:
        return []
    return [
        pb.VoteCast(
            group_id=ballot.group_id,
            period=ballot.period,
            candidate_id=candidate_id,
            voter=voter,
        )
    ]


def current_vote(events: Iterable[Message]) -> str | None:
    """A member's vote: the candidate of their latest VoteCast."""
    latest = None
    for event in events:
        if isinstance(event, pb.VoteCast):
            latest = event.candidate_id
    return latest


def close(ballot: Ballot, by: str) -> list[Message]:
    """Closing twice records nothing; an empty ballot has nothing to close."""
    if ballot.closed:
        return []
    if not ballot.candidates:
        raise RuleBroken("no candidate has been proposed for this period")
    return [pb.VotingClosed(group_id=ballot.group_id, period=ballot.period, closed_by=by)]


def adopt(
    plan: Plan, ballot: Ballot, candidate_id: str, priority_id: str, ward_code: str, by: str
) -> list[Message]:
    """The officers' decision: a closed ballot's candidate becomes the plan's next priority."""
    if not ballot.closed:
        raise RuleBroken("close the vote before adopting candidates")
    candidate = ballot.candidates.get(candidate_id)
    if candidate is None:
        raise UnknownPriority(candidate_id)
    if candidate_id in plan.adopted:
        raise RuleBroken("this candidate is a priority already")
    return set_priority(
        plan,
        priority_id,
        ward_code,
        candidate.title,
        candidate.description,
        candidate.category,
        by,
        from_candidate_id=candidate_id,
    )


def _require_open(ballot: Ballot) -> None:
    if ballot.closed:
        raise RuleBroken("the vote for this period has closed")
