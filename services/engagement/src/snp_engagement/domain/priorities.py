"""A ward panel's plan for a period: its priorities in order, and whether it is published.

Commands take the folded plan and return the events that record the decision; they raise the
rule errors of `rules` when it may not happen. Nothing here knows who may ask (the policy)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from google.protobuf.message import Message

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain.rules import (
    CATEGORIES,
    RuleBroken,
    UnknownPriority,
    checked_one_of,
    checked_period,
)

MAX_PRIORITIES = 20  # a panel's list stays short enough to be held to account on


@dataclass
class Priority:
    priority_id: str
    title: str
    description: str
    category: str


@dataclass
class Plan:
    group_id: str
    period: str
    live: dict[str, Priority] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # the live priorities' ids, first first
    published: bool = False
    adopted: set[str] = field(default_factory=set)  # the members' candidates made priorities


def evolve(plan: Plan, event: Message) -> Plan:
    if isinstance(event, pb.PrioritySet):
        plan.live[event.priority_id] = Priority(
            event.priority_id, event.title, event.description, event.category
        )
        plan.order.append(event.priority_id)
        if event.from_candidate_id:
            plan.adopted.add(event.from_candidate_id)
    elif isinstance(event, pb.PriorityEdited):
        plan.live[event.priority_id] = Priority(
            event.priority_id, event.title, event.description, event.category
        )
    elif isinstance(event, pb.PrioritiesReordered):
        plan.order = list(event.priority_ids)
    elif isinstance(event, pb.PriorityRetired):
        plan.live.pop(event.priority_id, None)
        plan.order.remove(event.priority_id)
    elif isinstance(event, pb.PeriodPublished):
        plan.published = True
    return plan


def fold(group_id: str, period: str, events: Iterable[Message]) -> Plan:
    plan = Plan(group_id, checked_period(period))
    for event in events:
        plan = evolve(plan, event)
    return plan


def set_priority(
    plan: Plan,
    priority_id: str,
    ward_code: str,
    title: str,
    description: str,
    category: str,
    by: str,
    from_candidate_id: str = "",
) -> list[Message]:
    """A new priority, after the plan's others (adopted from a members' candidate, or not)."""
    if len(plan.live) >= MAX_PRIORITIES:
        raise RuleBroken(f"a period has at most {MAX_PRIORITIES} priorities")
    return [
        pb.PrioritySet(
            priority_id=priority_id,
            group_id=plan.group_id,
            ward_code=ward_code,
            period=plan.period,
            title=title,
            description=description,
            category=checked_one_of(category, CATEGORIES, "category"),
            position=len(plan.order) + 1,
            set_by=by,
            from_candidate_id=from_candidate_id,
        )
    ]


def edit(
    plan: Plan, priority_id: str, title: str, description: str, category: str, by: str
) -> list[Message]:
    if priority_id not in plan.live:
        raise UnknownPriority(priority_id)
    checked_one_of(category, CATEGORIES, "category")
    if plan.live[priority_id] == Priority(priority_id, title, description, category):
        return []  # nothing changed: nothing to record
    return [
        pb.PriorityEdited(
            priority_id=priority_id,
            group_id=plan.group_id,
            period=plan.period,
            title=title,
            description=description,
            category=category,
            edited_by=by,
        )
    ]


def reorder(plan: Plan, priority_ids: Sequence[str], by: str) -> list[Message]:
    """The live priorities in a new order: every one of them, each once."""
    if sorted(priority_ids) != sorted(plan.order) or len(set(priority_ids)) != len(priority_ids):
        raise RuleBroken("a new order names every live priority of the period exactly once")
    if list(priority_ids) == plan.order:
        return []
    return [
        pb.PrioritiesReordered(
            group_id=plan.group_id,
            period=plan.period,
            priority_ids=list(priority_ids),
            reordered_by=by,
        )
    ]


def retire(plan: Plan, priority_id: str, by: str) -> list[Message]:
    if priority_id not in plan.live:
        raise UnknownPriority(priority_id)
    return [
        pb.PriorityRetired(
            priority_id=priority_id, group_id=plan.group_id, period=plan.period, retired_by=by
        )
    ]


def publish(plan: Plan, ward_code: str, by: str) -> list[Message]:
    """Publishing is the panel's choice; once published a period stays public (again: no-op)."""
    if not plan.live:
        raise RuleBroken("a period with no priorities cannot be published")
    if plan.published:
        return []
    return [
        pb.PeriodPublished(
            group_id=plan.group_id, ward_code=ward_code, period=plan.period, published_by=by
        )
    ]
