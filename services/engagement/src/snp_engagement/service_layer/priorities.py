"""A ward panel's officers set, edit, reorder, retire and publish the priorities of a period."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from google.protobuf.message import Message

from snp_engagement.adapters import queries
from snp_engagement.adapters.event_streams import plan_stream
from snp_engagement.adapters.roles import Group
from snp_engagement.domain import priorities as domain
from snp_engagement.domain.rules import UnknownPriority, checked_period, checked_ward_panel
from snp_engagement.service_layer.access import find_group, panel_resource, require
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_platform.envelope import new_event_id
from snp_platform.eventstore import EventMetadata
from snp_platform.tokens import Principal

MANAGE = "engagement.priority.manage"
PUBLISH = "engagement.period.publish"
READ = "engagement.plan.read"
Decide = Callable[[domain.Plan, Group], list[Message]]


def _change(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    action: str,
    decide: Decide,
    metadata: EventMetadata,
) -> None:
    """Load the plan, ask the policy, decide, append: one transaction, so a concurrent change
    of the same plan is a 409 (the stream's version), never a lost update."""
    checked_period(period)
    with ctx.pool.connection() as conn, conn.transaction():
        group = find_group(conn, group_id)
        require(ctx, conn, principal, action, panel_resource(group))
        checked_ward_panel(group.group_type)
        stream = plan_stream(group.tenant, group_id, period)
        events, version = ctx.streams.load(stream)
        plan = domain.fold(group_id, period, events)
        try:
            ctx.streams.append(stream, decide(plan, group), version, metadata, conn)
        except UnknownPriority:
            raise NotFound("no such priority") from None


def set_priority(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    fields: tuple[str, str, str],
    metadata: EventMetadata,
) -> str:
    """`fields` is (title, description, category); the new priority's id back."""
    priority_id = new_event_id()
    title, description, category = fields

    def decide(plan: domain.Plan, group: Group) -> list[Message]:
        return domain.set_priority(
            plan, priority_id, group.ward_code, title, description, category, principal.account_id
        )

    _change(ctx, principal, group_id, period, MANAGE, decide, metadata)
    return priority_id


def _priority(ctx: EngagementContext, priority_id: str) -> queries.PriorityRow:
    with ctx.pool.connection() as conn:
        row = queries.find_priority(conn, priority_id)
    if row is None:
        raise NotFound("no such priority")
    return row


def edit(
    ctx: EngagementContext,
    principal: Principal,
    priority_id: str,
    fields: tuple[str, str, str],
    metadata: EventMetadata,
) -> queries.PriorityRow:
    row = _priority(ctx, priority_id)
    by = principal.account_id
    _change(
        ctx,
        principal,
        row.group_id,
        row.period,
        MANAGE,
        lambda plan, _: domain.edit(plan, priority_id, *fields, by),
        metadata,
    )
    return row


def retire(
    ctx: EngagementContext, principal: Principal, priority_id: str, metadata: EventMetadata
) -> None:
    row = _priority(ctx, priority_id)
    by = principal.account_id
    _change(
        ctx,
        principal,
        row.group_id,
        row.period,
        MANAGE,
        lambda plan, _: domain.retire(plan, priority_id, by),
        metadata,
    )


def reorder(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    priority_ids: Sequence[str],
    metadata: EventMetadata,
) -> None:
    by = principal.account_id
    _change(
        ctx,
        principal,
        group_id,
        period,
        MANAGE,
        lambda plan, _: domain.reorder(plan, priority_ids, by),
        metadata,
    )


def publish(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    metadata: EventMetadata,
) -> None:
    by = principal.account_id
    _change(
        ctx,
        principal,
        group_id,
        period,
        PUBLISH,
        lambda plan, group: domain.publish(plan, group.ward_code, by),
        metadata,
    )


def read_plan(
    ctx: EngagementContext, principal: Principal, group_id: str, period: str
) -> dict[str, Any]:
    """The plan as the panel, police and partners work on it (published or not), with the
    panel's ward code (a place, public) and never its name: a partner may read a hidden
    panel's plan, never its name (membership is not theirs to read, invariant 11)."""
    checked_period(period)
    with ctx.pool.connection() as conn:
        group = find_group(conn, group_id)
        require(ctx, conn, principal, READ, panel_resource(group))
        view = queries.plan_view(conn, group_id, period, public=False)
    return {"group_id": group_id, "ward_code": group.ward_code, **view}
