"""The members' vote on a period's priorities: members propose candidates and vote, the panel's
officers read the counts, close the vote and adopt candidates as the plan's priorities."""

from __future__ import annotations

from typing import Any

from snp_engagement.adapters import ballot_queries
from snp_engagement.adapters.event_streams import ballot_stream, plan_stream, vote_stream
from snp_engagement.adapters.roles import Group
from snp_engagement.domain import ballots as domain
from snp_engagement.domain import priorities
from snp_engagement.domain.rules import UnknownPriority, checked_period, checked_ward_panel
from snp_engagement.service_layer.access import Conn, find_group, panel_resource, require
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_platform.envelope import new_event_id
from snp_platform.eventstore import EventMetadata
from snp_platform.tokens import Principal

TAKE_PART = "engagement.ballot.take_part"
RESULTS = "engagement.ballot.results"
MANAGE = "engagement.ballot.manage"


def _panel(
    ctx: EngagementContext, conn: Conn, principal: Principal, group_id: str, action: str
) -> Group:
    group = find_group(conn, group_id)
    require(ctx, conn, principal, action, panel_resource(group))
    checked_ward_panel(group.group_type)
    return group


def _ballot(ctx: EngagementContext, group: Group, period: str) -> tuple[domain.Ballot, int]:
    events, version = ctx.streams.load(ballot_stream(group.tenant, group.group_id, period))
    return domain.fold(group.group_id, period, events), version


def propose(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    fields: tuple[str, str, str],
    metadata: EventMetadata,
) -> str:
    """`fields` is (title, description, category); the new candidate's id back."""
    checked_period(period)
    candidate_id = new_event_id()
    with ctx.pool.connection() as conn, conn.transaction():
        group = _panel(ctx, conn, principal, group_id, TAKE_PART)
        ballot, version = _ballot(ctx, group, period)
        events = domain.propose(
            ballot, candidate_id, group.ward_code, *fields, principal.account_id
        )
        stream = ballot_stream(group.tenant, group_id, period)
        ctx.streams.append(stream, events, version, metadata, conn)
    return candidate_id


def vote(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    candidate_id: str,
    metadata: EventMetadata,
) -> None:
    """The member's one vote (a new vote replaces it) while the ballot is open."""
    checked_period(period)
    voter = principal.account_id
    with ctx.pool.connection() as conn, conn.transaction():
        group = _panel(ctx, conn, principal, group_id, TAKE_PART)
        ballot_queries.hold_ballot_open(conn, group_id, period)
        ballot, _ = _ballot(ctx, group, period)
        stream = vote_stream(group.tenant, group_id, period, voter)
        history, version = ctx.streams.load(stream)
        try:
            events = domain.vote(ballot, domain.current_vote(history), candidate_id, voter)
        except UnknownPriority:
            raise NotFound("no such candidate") from None
        ctx.streams.append(stream, events, version, metadata, conn)


def close(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    metadata: EventMetadata,
) -> None:
    checked_period(period)
    with ctx.pool.connection() as conn, conn.transaction():
        group = _panel(ctx, conn, principal, group_id, MANAGE)
        ballot, version = _ballot(ctx, group, period)
        events = domain.close(ballot, principal.account_id)
        stream = ballot_stream(group.tenant, group_id, period)
        ctx.streams.append(stream, events, version, metadata, conn)


def adopt(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    candidate_id: str,
    metadata: EventMetadata,
) -> str:
    """The candidate becomes the period's next priority; the new priority's id back."""
    checked_period(period)
    priority_id = new_event_id()
    with ctx.pool.connection() as conn, conn.transaction():
        group = _panel(ctx, conn, principal, group_id, MANAGE)
        ballot, _ = _ballot(ctx, group, period)
        stream = plan_stream(group.tenant, group_id, period)
        history, version = ctx.streams.load(stream)
        plan = priorities.fold(group_id, period, history)
        try:
            events = domain.adopt(
                plan, ballot, candidate_id, priority_id, group.ward_code, principal.account_id
            )
        except UnknownPriority:
            raise NotFound("no such candidate") from None
        ctx.streams.append(stream, events, version, metadata, conn)
    return priority_id


def read_ballot(
    ctx: EngagementContext, principal: Principal, group_id: str, period: str
) -> dict[str, Any]:
    """The candidates and the caller's own vote: what a member sees."""
    return _view(ctx, principal, group_id, period, TAKE_PART, with_counts=False)


def read_results(
    ctx: EngagementContext, principal: Principal, group_id: str, period: str
) -> dict[str, Any]:
    """The candidates with their counts: what the panel's officers decide from."""
    return _view(ctx, principal, group_id, period, RESULTS, with_counts=True)


def _view(
    ctx: EngagementContext,
    principal: Principal,
    group_id: str,
    period: str,
    action: str,
    *,
    with_counts: bool,
) -> dict[str, Any]:
    checked_period(period)
    with ctx.pool.connection() as conn:
        _panel(ctx, conn, principal, group_id, action)
        view = ballot_queries.ballot_view(
            conn, group_id, period, principal.account_id, with_counts=with_counts
        )
    return {"group_id": group_id, **view}
