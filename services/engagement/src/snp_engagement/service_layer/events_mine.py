"""An organiser's own events ("Your events"): those their agency organises (police: the
force's; a partner: its agency's), those they scheduled, and the panel meetings of the panels
they hold an office in, upcoming first then those that are over. The rows are narrowed by
who organised them; the policy's batch form of `engagement.event.manage` picks which are
shown, so the list never offers an event its organiser's pages would refuse."""

from __future__ import annotations

from typing import Any

from snp_engagement.adapters import events_queries, roles
from snp_engagement.adapters.events_queries import EventRow
from snp_engagement.service_layer.access import recording_agency
from snp_engagement.service_layer.context import EngagementContext
from snp_engagement.service_layer.events_access import MANAGE, event_resource
from snp_engagement.service_layer.events_public import shown
from snp_platform.authz import refuse_listing_for_an_actionable_reason, subject_of
from snp_platform.tokens import Principal


def my_events(ctx: EngagementContext, principal: Principal) -> dict[str, Any]:
    refuse_listing_for_an_actionable_reason(ctx.opa, principal, MANAGE)
    with ctx.pool.connection() as conn:
        rows = events_queries.organised_events(
            conn, principal.tenant, recording_agency(principal), principal.account_id
        )
        panels = {r["group_id"] for r in rows if r["group_id"]}
        held = roles.roles_of_account(conn, principal.account_id, panels) if panels else {}
    resources = [event_resource(_row(r)) for r in rows]
    allowed = ctx.opa.allowed_ids(subject_of(principal, held), MANAGE, resources)
    return {"events": [shown(r) for r in rows if r["event_id"] in allowed]}


def _row(row: dict[str, Any]) -> EventRow:
    return EventRow(
        row["event_id"],
        row["tenant"],
        row["kind"],
        row["agency"],
        row["group_id"],
        tuple(row["ward_codes"]),
    )
