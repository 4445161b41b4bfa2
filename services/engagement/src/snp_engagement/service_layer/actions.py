"""Police and partner agencies record actions against a priority; the recording agency edits
them; the panel's officers review them."""

from __future__ import annotations

from collections.abc import Callable

from google.protobuf.message import Message

from snp_engagement.adapters import queries
from snp_engagement.adapters.event_streams import action_stream
from snp_engagement.domain import actions as domain
from snp_engagement.domain.rules import checked_ward_panel
from snp_engagement.service_layer.access import (
    action_resource,
    find_group,
    panel_resource,
    recording_agency,
    require,
)
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_platform.envelope import new_event_id
from snp_platform.eventstore import NO_STREAM, EventMetadata
from snp_platform.tokens import Principal

RECORD = "engagement.action.record"
UPDATE = "engagement.action.update"
REVIEW = "engagement.action.review"
What = tuple[str, str, str, str]  # description, done_on, status, outcome


def record(
    ctx: EngagementContext,
    principal: Principal,
    priority_id: str,
    what: What,
    metadata: EventMetadata,
) -> str:
    action_id = new_event_id()
    with ctx.pool.connection() as conn, conn.transaction():
        priority = queries.find_priority(conn, priority_id)
        if priority is None:
            raise NotFound("no such priority")
        group = find_group(conn, priority.group_id)
        require(ctx, conn, principal, RECORD, panel_resource(group))
        checked_ward_panel(group.group_type)
        events = domain.record(
            action_id,
            priority_id,
            group.group_id,
            priority.period,
            recording_agency(principal),
            what,
            principal.account_id,
        )
        stream = action_stream(group.tenant, action_id)
        ctx.streams.append(stream, events, NO_STREAM, metadata, conn)
    return action_id


def _change(
    ctx: EngagementContext,
    principal: Principal,
    action_id: str,
    policy_action: str,
    decide: Callable[[domain.Action], list[Message]],
    metadata: EventMetadata,
) -> None:
    with ctx.pool.connection() as conn, conn.transaction():
        row = queries.find_action(conn, action_id)
        if row is None:
            raise NotFound("no such action")
        group = find_group(conn, row.group_id)
        require(ctx, conn, principal, policy_action, action_resource(row, group.group_type))
        stream = action_stream(row.tenant, action_id)
        events, version = ctx.streams.load(stream)
        action = domain.fold(events)
        if action is None:
            raise NotFound("no such action")
        ctx.streams.append(stream, decide(action), version, metadata, conn)


def update(
    ctx: EngagementContext,
    principal: Principal,
    action_id: str,
    what: What,
    metadata: EventMetadata,
) -> None:
    by = principal.account_id
    _change(ctx, principal, action_id, UPDATE, lambda a: domain.update(a, what, by), metadata)


def review(
    ctx: EngagementContext,
    principal: Principal,
    action_id: str,
    verdict: str,
    comment: str,
    metadata: EventMetadata,
) -> None:
    by = principal.account_id
    _change(
        ctx,
        principal,
        action_id,
        REVIEW,
        lambda a: domain.review(a, verdict, comment, by),
        metadata,
    )
