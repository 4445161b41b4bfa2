"""Engagement's domain: a panel's plan and an agency's action, decided from events (exact
event sequences), and the rules every command keeps whoever asks."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain import actions, priorities
from snp_engagement.domain.events import event_type, parse_event
from snp_engagement.domain.rules import (
    InvalidInput,
    RuleBroken,
    UnknownPriority,
    checked_period,
    checked_ward_panel,
)

CHAIR = "chair-1"


def _only(events: list[Message]) -> list[Any]:
    """The decided events, as their own message types (mypy sees only `Message`)."""
    return list(events)


def plan_with(*titles: str) -> tuple[priorities.Plan, list[Any]]:
    history: list[Any] = []
    plan = priorities.fold("p1", "2027-Q1", [])
    for n, title in enumerate(titles, start=1):
        events = priorities.set_priority(plan, f"pr{n}", "E05000138", title, "", "asb", CHAIR)
        history += events
        plan = priorities.fold("p1", "2027-Q1", history)
    return plan, history


def test_a_priority_is_set_after_the_others() -> None:
    plan, history = plan_with("Drug dealing by the station", "Speeding on Elm Road")
    assert [(e.priority_id, e.position) for e in history] == [("pr1", 1), ("pr2", 2)]
    assert history[1] == pb.PrioritySet(
        priority_id="pr2",
        group_id="p1",
        ward_code="E05000138",
        period="2027-Q1",
        title="Speeding on Elm Road",
        category="asb",
        position=2,
        set_by=CHAIR,
    )
    assert plan.order == ["pr1", "pr2"]


def test_an_unknown_category_is_refused() -> None:
    plan, _ = plan_with()
    with pytest.raises(InvalidInput, match="category"):
        priorities.set_priority(plan, "x", "E05000138", "t", "", "littering", CHAIR)


def test_reorder_names_every_live_priority_once() -> None:
    plan, history = plan_with("a", "b", "c")
    (event,) = _only(priorities.reorder(plan, ["pr3", "pr1", "pr2"], CHAIR))
    assert list(event.priority_ids) == ["pr3", "pr1", "pr2"]
    assert priorities.reorder(plan, ["pr1", "pr2", "pr3"], CHAIR) == []  # unchanged
    for wrong in (["pr1", "pr2"], ["pr1", "pr1", "pr2", "pr3"], ["pr1", "pr2", "zz"]):
        with pytest.raises(RuleBroken):
            priorities.reorder(plan, wrong, CHAIR)
    retired = priorities.fold(
        "p1",
        "2027-Q1",
        [
            *history,
            event,
            *priorities.retire(priorities.fold("p1", "2027-Q1", [*history, event]), "pr1", CHAIR),
        ],
    )
    assert retired.order == ["pr3", "pr2"]


def test_edit_records_a_change_only_and_knows_its_priorities() -> None:
    plan, _ = plan_with("a")
    assert priorities.edit(plan, "pr1", "a", "", "asb", CHAIR) == []
    (edited,) = _only(priorities.edit(plan, "pr1", "A", "more", "drugs", CHAIR))
    assert (edited.title, edited.description, edited.category) == ("A", "more", "drugs")
    with pytest.raises(UnknownPriority):
        priorities.edit(plan, "nope", "a", "", "asb", CHAIR)
    with pytest.raises(UnknownPriority):
        priorities.retire(plan, "nope", CHAIR)


def test_publishing_needs_a_priority_and_happens_once() -> None:
    empty, _ = plan_with()
    with pytest.raises(RuleBroken):
        priorities.publish(empty, "E05000138", CHAIR)
    plan, history = plan_with("a")
    published = priorities.publish(plan, "E05000138", CHAIR)
    assert published == [
        pb.PeriodPublished(
            group_id="p1", ward_code="E05000138", period="2027-Q1", published_by=CHAIR
        )
    ]
    again = priorities.fold("p1", "2027-Q1", [*history, *published])
    assert again.published and priorities.publish(again, "E05000138", CHAIR) == []


def test_periods_are_quarters_and_priorities_belong_to_ward_panels() -> None:
    assert checked_period("2027-Q4") == "2027-Q4"
    for wrong in ("2027-Q5", "2027", "27-Q1", "2027-q1"):
        with pytest.raises(InvalidInput):
            checked_period(wrong)
    checked_ward_panel("ward_panel")
    with pytest.raises(InvalidInput, match="ward panel"):
        checked_ward_panel("neighbourhood_watch")


WHAT = ("Patrols at the station", "2027-02-14", "done", "Fewer reports of dealing")


def test_an_action_is_recorded_updated_and_reviewed() -> None:
    recorded = actions.record("a1", "pr1", "p1", "2027-Q1", "police", WHAT, "pc-1")
    action = actions.fold(recorded)
    assert action is not None and action.agency == "police" and action.status == "done"
    assert actions.update(action, WHAT, "pc-1") == []
    (updated,) = _only(actions.update(action, (*WHAT[:2], "in_progress", WHAT[3]), "pc-1"))
    assert updated.status == "in_progress" and updated.agency == "police"
    (reviewed,) = _only(actions.review(action, "not_delivered", "Still dealing there", CHAIR))
    action = actions.fold([*recorded, updated, reviewed])
    assert action is not None
    assert (action.status, action.verdict, action.comment) == (
        "in_progress",
        "not_delivered",
        "Still dealing there",
    )


def test_action_rules_hold_whoever_asks() -> None:
    with pytest.raises(InvalidInput, match="status"):
        actions.record("a1", "pr1", "p1", "2027-Q1", "police", (*WHAT[:2], "maybe", ""), "x")
    with pytest.raises(InvalidInput, match="agency"):
        actions.record("a1", "pr1", "p1", "2027-Q1", "", WHAT, "x")
    action = actions.fold(actions.record("a1", "pr1", "p1", "2027-Q1", "police", WHAT, "x"))
    assert action is not None
    with pytest.raises(InvalidInput, match="verdict"):
        actions.review(action, "meh", "", CHAIR)
    with pytest.raises(InvalidInput, match="why"):
        actions.review(action, "not_delivered", "  ", CHAIR)
    assert actions.fold([]) is None


def test_every_event_round_trips_through_the_codec() -> None:
    plan, history = plan_with("a")
    events: list[Message] = [
        *history,
        *priorities.publish(plan, "E05000138", CHAIR),
        *actions.record("a1", "pr1", "p1", "2027-Q1", "police", WHAT, "x"),
    ]
    for event in events:
        name = event_type(event)
        assert name.startswith("engagement.")
        assert parse_event(name, event.SerializeToString()) == event
