"""The ward priorities an event's organiser may link an agreed action to: the live priorities
of the ward panels in the event's wards, by ward and period, never naming a panel (a hidden
panel's priorities are its published words, its name is not)."""

from __future__ import annotations

from typing import Any

from snp_engagement.adapters import events_queries
from snp_engagement.service_layer.context import EngagementContext
from snp_engagement.service_layer.events_access import MANAGE, event_resource, find_event, require
from snp_platform.tokens import Principal


def linkable_priorities(
    ctx: EngagementContext, principal: Principal, event_id: str
) -> dict[str, Any]:
    """For the organiser only (the policy's `engagement.event.manage`)."""
    with ctx.pool.connection() as conn:
        row = find_event(conn, event_id)
        require(ctx, conn, principal, MANAGE, event_resource(row))
        found = events_queries.priorities_in_wards(conn, row.tenant, list(row.ward_codes))
    return {"event_id": event_id, "priorities": found}
