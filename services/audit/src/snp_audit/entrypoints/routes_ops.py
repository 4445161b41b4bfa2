"""Operators' view: is ingestion keeping up, are checkpoints being signed, is the log intact.
Counts and times only, never an entry."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from snp_audit.adapters import checkpoint_store, log_store
from snp_audit.domain.entries import timestamp
from snp_audit.entrypoints import dependencies as deps
from snp_audit.service_layer.ingest import EVENT_TOPICS
from snp_platform.authz import authorize
from snp_platform.consumer_lag import lag_per_topic
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/audit", tags=["operators"])


@router.get("/health")
def ingestion_health(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    ctx = deps.context(request)
    resource = {"type": "service", "id": "audit", "tenant": who.tenant}
    authorize(ctx.opa, who, "audit.health.read", resource)
    tenants: dict[str, Any] = {}
    with ctx.pool.connection() as conn:
        for tenant in log_store.tenants(conn):
            size, _last, _frontier = log_store.head(conn, tenant)
            latest = checkpoint_store.latest(conn, tenant)
            tenants[tenant] = {
                "entries": size,
                "checkpoint_size": latest.tree_size if latest else 0,
                "checkpoint_signed_at": timestamp(latest.signed_at) if latest else None,
            }
    try:
        lag: dict[str, int] | None = lag_per_topic(
            ctx.kafka_bootstrap, ctx.consumer_group, EVENT_TOPICS
        )
    except Exception:  # Kafka away: say so rather than fail the whole report
        lag = None
    self_check = getattr(request.app.state, "self_check", {})
    return {
        "lag": lag,
        "tenants": tenants,
        "tampered": sorted(t for t, failure in self_check.items() if failure is not None),
    }
