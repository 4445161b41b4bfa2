"""Residents register their interest in an engagement event (and withdraw it); police and the
organiser see who registered, as account ids only (names stay in identity)."""

from __future__ import annotations

import time
from typing import Any

from snp_engagement.adapters import events_queries
from snp_engagement.adapters.event_streams import event_stream, registration_stream
from snp_engagement.domain import events_schedule, registrations
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_engagement.service_layer.events_access import (
    READ_REGISTRATIONS,
    REGISTER,
    event_resource,
    find_event,
    require,
)
from snp_platform.eventstore import EventMetadata
from snp_platform.tokens import Principal


def _change(
    ctx: EngagementContext,
    principal: Principal,
    event_id: str,
    metadata: EventMetadata,
    *,
    register: bool,
) -> None:
    with ctx.pool.connection() as conn, conn.transaction():
        row = find_event(conn, event_id)
        require(ctx, conn, principal, REGISTER, event_resource(row))
        event = events_schedule.fold(ctx.streams.load(event_stream(row.tenant, event_id))[0])
        if event is None:
            raise NotFound("no such event")
        stream = registration_stream(row.tenant, event_id, principal.account_id)
        changes, version = ctx.streams.load(stream)
        standing = registrations.registered(changes)
        account = principal.account_id
        decided = (
            registrations.register(event, account, standing, int(time.time()))
            if register
            else registrations.withdraw(event, account, standing)
        )
        ctx.streams.append(stream, decided, version, metadata, conn)


def register(
    ctx: EngagementContext, principal: Principal, event_id: str, metadata: EventMetadata
) -> None:
    _change(ctx, principal, event_id, metadata, register=True)


def withdraw(
    ctx: EngagementContext, principal: Principal, event_id: str, metadata: EventMetadata
) -> None:
    _change(ctx, principal, event_id, metadata, register=False)


def registered(ctx: EngagementContext, principal: Principal, event_id: str) -> dict[str, Any]:
    """How many registered, and their account ids (police and the organiser only)."""
    with ctx.pool.connection() as conn:
        row = find_event(conn, event_id)
        require(ctx, conn, principal, READ_REGISTRATIONS, event_resource(row))
        accounts = events_queries.registered_accounts(conn, event_id)
    return {"event_id": event_id, "count": len(accounts), "account_ids": accounts}
