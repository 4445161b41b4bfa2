"""The members' vote, decided from events: candidates are proposed while the ballot is open, a
member's vote is one (a new one moves it), and the officers adopt a closed ballot's candidate as
the plan's next priority, once."""

from __future__ import annotations

from typing import Any

import pytest

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain import ballots, priorities
from snp_engagement.domain.events import event_type, parse_event
from snp_engagement.domain.rules import InvalidInput, RuleBroken, UnknownPriority

WARD = "E05000138"


def ballot_with(*titles: str, closed: bool = False) -> tuple[ballots.Ballot, list[Any]]:
    history: list[Any] = []
    for n, title in enumerate(titles, start=1):
        ballot = ballots.fold("p1", "2027-Q1", history)
        history += ballots.propose(ballot, f"c{n}", WARD, title, "", "asb", f"member-{n}")
    if closed:
        history += ballots.close(ballots.fold("p1", "2027-Q1", history), "chair-1")
    return ballots.fold("p1", "2027-Q1", history), history


def test_a_member_proposes_a_candidate() -> None:
    ballot, _ = ballot_with()
    events = ballots.propose(
        ballot, "c1", WARD, "Speeding on Holloway Road", "At night", "road_safety", "m1"
    )
    assert events == [
        pb.CandidateProposed(
            candidate_id="c1",
            group_id="p1",
            ward_code=WARD,
            period="2027-Q1",
            title="Speeding on Holloway Road",
            description="At night",
            category="road_safety",
            proposed_by="m1",
        )
    ]


def test_the_same_title_twice_is_refused_whatever_its_case_and_spaces() -> None:
    ballot, _ = ballot_with("Drug dealing in the park")
    with pytest.raises(RuleBroken, match="vote for it"):
        ballots.propose(ballot, "c2", WARD, "drug  dealing in the PARK ", "", "drugs", "m2")


def test_an_unknown_category_is_invalid() -> None:
    ballot, _ = ballot_with()
    with pytest.raises(InvalidInput, match="category"):
        ballots.propose(ballot, "c1", WARD, "Noise", "", "noise", "m1")


def test_a_ballot_holds_at_most_fifty_candidates() -> None:
    ballot, _ = ballot_with(*(f"Candidate {n}" for n in range(ballots.MAX_CANDIDATES)))
    with pytest.raises(RuleBroken, match="at most"):
        ballots.propose(ballot, "c99", WARD, "One more", "", "other", "m1")


def test_one_vote_per_member_a_new_one_moves_it_the_same_records_nothing() -> None:
    ballot, _ = ballot_with("Speeding", "Litter")
    first = ballots.vote(ballot, None, "c1", "m1")
    assert first == [pb.VoteCast(group_id="p1", period="2027-Q1", candidate_id="c1", voter="m1")]
    assert ballots.current_vote(first) == "c1"
    assert ballots.vote(ballot, "c1", "c1", "m1") == []
    moved = ballots.vote(ballot, "c1", "c2", "m1")
    assert ballots.current_vote([*first, *moved]) == "c2"
    with pytest.raises(UnknownPriority):
        ballots.vote(ballot, None, "nope", "m1")


def test_a_closed_ballot_takes_no_candidates_and_no_votes() -> None:
    ballot, _ = ballot_with("Speeding", closed=True)
    assert ballot.closed
    with pytest.raises(RuleBroken, match="closed"):
        ballots.vote(ballot, None, "c1", "m1")
    with pytest.raises(RuleBroken, match="closed"):
        ballots.propose(ballot, "c2", WARD, "Litter", "", "other", "m1")
    assert ballots.close(ballot, "chair-1") == []


def test_an_empty_ballot_cannot_be_closed() -> None:
    ballot, _ = ballot_with()
    with pytest.raises(RuleBroken, match="no candidate"):
        ballots.close(ballot, "chair-1")


def test_officers_adopt_a_closed_ballots_candidate_once() -> None:
    ballot, _ = ballot_with("Speeding", "Litter", closed=True)
    plan = priorities.fold("p1", "2027-Q1", [])
    adopted = ballots.adopt(plan, ballot, "c2", "pr1", WARD, "chair-1")
    assert adopted == [
        pb.PrioritySet(
            priority_id="pr1",
            group_id="p1",
            ward_code=WARD,
            period="2027-Q1",
            title="Litter",
            description="",
            category="asb",
            position=1,
            set_by="chair-1",
            from_candidate_id="c2",
        )
    ]
    plan = priorities.fold("p1", "2027-Q1", adopted)
    assert plan.adopted == {"c2"} and plan.order == ["pr1"]
    with pytest.raises(RuleBroken, match="already"):
        ballots.adopt(plan, ballot, "c2", "pr2", WARD, "chair-1")
    with pytest.raises(UnknownPriority):
        ballots.adopt(plan, ballot, "nope", "pr2", WARD, "chair-1")


def test_an_open_ballots_candidate_cannot_be_adopted() -> None:
    ballot, _ = ballot_with("Speeding")
    plan = priorities.fold("p1", "2027-Q1", [])
    with pytest.raises(RuleBroken, match="close the vote"):
        ballots.adopt(plan, ballot, "c1", "pr1", WARD, "chair-1")


def test_ballot_events_round_trip_the_codec() -> None:
    _, history = ballot_with("Speeding", closed=True)
    for event in [*history, pb.VoteCast(group_id="p1", candidate_id="c1", voter="m1")]:
        assert parse_event(event_type(event), event.SerializeToString()) == event
