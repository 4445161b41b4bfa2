"""The ward's public page: the published plans of its panels, for anyone, with no token.

What a panel published is public by the panel's own act (like a visible group's listing), so
no policy question is asked; nothing unpublished and no account id is ever shown, and a hidden
panel's plans name neither the panel nor its members."""

from __future__ import annotations

from typing import Any

from snp_engagement.adapters import queries, roles
from snp_engagement.service_layer.context import EngagementContext, NotFound


def ward_priorities(ctx: EngagementContext, tenant: str, ward_code: str) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        if not roles.ward_has_panel(conn, tenant, ward_code):
            raise NotFound("no such ward")
        plans = [
            queries.plan_view(conn, group_id, period, public=True)
            for group_id, period in queries.published_plans(conn, tenant, ward_code)
        ]
    return {"tenant": tenant, "ward_code": ward_code, "plans": plans}
