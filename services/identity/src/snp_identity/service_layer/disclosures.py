"""A member's own disclosures: every release of their contact details, newest first, each in
words ("Who has seen your contact details")."""

from __future__ import annotations

from typing import Any

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters import disclosures
from snp_identity.domain.disclosures import Purpose, in_words
from snp_identity.service_layer.context import IdentityContext
from snp_identity.service_layer.directory import purpose_of
from snp_identity.service_layer.tenants import tenant_name

MAX_PAGE = 100


def disclosures_page(
    ctx: IdentityContext, tenant: str, account_id: str, cursor: str | None, limit: int
) -> dict[str, Any]:
    """`{disclosures: [{event_id, released_at, service, requested_by, purpose, words}],
    next_cursor}`; `requested_by` names a service, or "staff" (never which staff account: the
    member is told the force's team looked, the audit log keeps who)."""
    limit = max(1, min(limit, MAX_PAGE))
    with ctx.pool.connection() as conn:
        rows = disclosures.newest_first(conn, tenant, account_id, cursor, limit + 1)
    force = tenant_name(ctx.streams, tenant) or tenant
    entries = [_entry(row, force) for row in rows[:limit]]
    return {
        "disclosures": entries,
        "next_cursor": rows[limit - 1].event_id if len(rows) > limit else None,
    }


def _entry(row: disclosures.DisclosureRow, force: str) -> dict[str, Any]:
    purpose = purpose_of(pb.ReleasePurpose.FromString(row.why)) if row.why else Purpose("")
    by_staff = row.requested_by.startswith("staff:")
    service = "identity" if by_staff else row.requested_by
    return {
        "event_id": row.event_id,
        "released_at": row.released_at.isoformat(),
        "service": service,
        "requested_by": "staff" if by_staff else row.requested_by,
        "purpose": purpose.code or "unspecified",
        "message_id": purpose.message_id or None,
        "words": in_words(purpose, row.note, service, force),
    }
