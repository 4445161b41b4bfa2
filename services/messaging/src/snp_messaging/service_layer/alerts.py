"""The force's alerts: what its police and tenant admins sent, as the police panel lists them."""

from __future__ import annotations

from typing import Any

from snp_messaging.adapters import messages
from snp_messaging.domain.deliveries import COUNTED
from snp_messaging.service_layer.context import MessagingContext
from snp_messaging.service_layer.reading import names_of, shown
from snp_platform.authz import authorize
from snp_platform.tokens import Principal

# The account kinds whose messages are the force's alerts (the policy's `sender_kind`).
ALERT_SENDERS = ["police", "tenant_admin"]


def force_alerts(
    ctx: MessagingContext,
    principal: Principal,
    q: str | None,
    audience_type: str | None,
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    """A page of the force's alerts, newest first, each with its delivery counts;
    `next_cursor` is the id to page on from (None on the last page)."""
    resource = {"type": "alerts", "id": principal.tenant, "tenant": principal.tenant}
    authorize(ctx.opa, principal, "messaging.alerts.list", resource)
    with ctx.pool.connection() as conn:
        rows = messages.alerts_page(
            conn, principal.tenant, ALERT_SENDERS, q, audience_type, cursor, limit
        )
    names = names_of(ctx, principal.tenant, [r["sender_id"] for r in rows])
    alerts = []
    for row in rows:
        counts = {status: int(row["counts"].get(status, 0)) for status in COUNTED}
        alerts.append(
            {
                **shown(row, names),
                "recipients": row["recipients"],
                "deliveries": {"total": sum(counts.values()), **counts},
            }
        )
    return {"alerts": alerts, "next_cursor": rows[-1]["id"] if len(rows) == limit else None}
