"""The policy input for engagement events: the event's tenant, kind, organising agency and (a
panel meeting's) panel, with the caller's roles in that panel. The decision is OPA's."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_engagement.adapters import events_queries, roles
from snp_engagement.adapters.events_queries import EventRow
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_platform.authz import authorize
from snp_platform.opa import Decision
from snp_platform.tokens import Principal

Conn = psycopg.Connection[Any]
CREATE = "engagement.event.create"
MANAGE = "engagement.event.manage"
READ = "engagement.event.read"
REGISTER = "engagement.event.register"
READ_REGISTRATIONS = "engagement.registrations.read"


def event_resource(row: EventRow) -> dict[str, Any]:
    return {
        "type": "event",
        "id": row.event_id,
        "tenant": row.tenant,
        "group_id": row.group_id,
        "event_kind": row.kind,
        "agency": row.agency,
    }


def new_event_resource(tenant: str, kind: str, group_id: str) -> dict[str, Any]:
    return {"type": "event", "id": "", "tenant": tenant, "group_id": group_id, "event_kind": kind}


def find_event(conn: Conn, event_id: str) -> EventRow:
    row = events_queries.find_event(conn, event_id)
    if row is None:
        raise NotFound("no such event")
    return row


def require(
    ctx: EngagementContext,
    conn: Conn,
    principal: Principal,
    action: str,
    resource: dict[str, Any],
) -> Decision:
    """OPA's allow, or its problem: another force's event is a 404 (as an unknown id), a
    refusal within the force a 403 (events are public: there is nothing to hide)."""
    group_id = resource["group_id"]
    held = roles.roles_of_account(conn, principal.account_id, [group_id]) if group_id else {}
    return authorize(ctx.opa, principal, action, resource, held)
