"""Report retention. A force's tenant admin sets how long closed reports are kept (police read
it); the job crypto-shreds each closed report past it, one `ReportShredded` each, and says how
many it removed. It runs daily in engagement's relay role, and on demand as
`snp-engagement shred-expired-reports`."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

import structlog
from psycopg_pool import ConnectionPool

from snp_engagement.adapters import reports_retention as retention
from snp_engagement.adapters.event_streams import EngagementStreams, report_stream
from snp_engagement.domain import reports_retention as domain
from snp_engagement.service_layer.context import EngagementContext
from snp_platform.authz import authorize
from snp_platform.eventstore import ANY_VERSION, EventMetadata, EventStore, Stream
from snp_platform.tokens import Principal
from snp_platform.worker_health import Heartbeat

READ, MANAGE = "engagement.report_retention.read", "engagement.report_retention.manage"
BATCH = 100
log = structlog.get_logger(__name__)


def retention_stream(tenant: str) -> Stream:
    """The force's retention (one stream per force; a stream id is unique across tenants)."""
    return Stream(tenant, f"report-retention:{tenant}")


def _force(tenant: str) -> dict[str, Any]:
    return {"type": "tenant", "id": tenant, "tenant": tenant}


def read_retention(ctx: EngagementContext, principal: Principal) -> dict[str, Any]:
    authorize(ctx.opa, principal, READ, _force(principal.tenant))
    with ctx.pool.connection() as conn:
        days = retention.retention_days(conn, principal.tenant)
    return {
        "days_after_closing": ctx.report_retention_days if days is None else days,
        "is_default": days is None,
    }


def set_retention(
    ctx: EngagementContext, principal: Principal, days: int, metadata: EventMetadata
) -> dict[str, Any]:
    authorize(ctx.opa, principal, MANAGE, _force(principal.tenant))
    events = domain.set_retention(days, principal.account_id)
    # Each setting is an event of its own; the last one recorded is the force's rule.
    ctx.streams.append(retention_stream(principal.tenant), events, ANY_VERSION, metadata)
    return {"days_after_closing": days, "is_default": False}


def shred_expired(pool: ConnectionPool[Any], default_days: int, now: datetime | None = None) -> int:
    """Shred every closed report past its force's retention; how many were shredded."""
    streams = EngagementStreams(EventStore(pool))
    now = now or datetime.now(UTC)
    metadata = EventMetadata(actor="service:engagement")
    shredded = 0
    while True:
        with pool.connection() as conn:
            due = retention.expired(conn, default_days, now, BATCH)
        done = sum(_shred_one(pool, streams, item, metadata) for item in due)
        shredded += done
        if len(due) < BATCH or done == 0:
            break
    if shredded:
        log.info("reports_shredded", count=shredded, reason=domain.SHRED_REASON)
    return shredded


def _shred_one(
    pool: ConnectionPool[Any],
    streams: EngagementStreams,
    item: retention.Expired,
    metadata: EventMetadata,
) -> int:
    """The key and photo go in the same transaction as the event that says so."""
    stream = report_stream(item.tenant, item.report_id)
    with pool.connection() as conn, conn.transaction():
        if not retention.lock_unshredded(conn, item.report_id):
            return 0
        retention.destroy_key_and_photo(conn, item.report_id)
        _, version = streams.load(stream)
        streams.append(stream, domain.shred(item.report_id, item.days), version, metadata, conn)
    return 1


def run_retention(
    pool: ConnectionPool[Any],
    default_days: int,
    stop: threading.Event,
    *,
    interval: float = 86_400.0,
    heartbeat: Heartbeat | None = None,
) -> None:
    """The daily job (in the relay role): once at start, then every `interval` seconds. It
    beats at least every 30 seconds, so a day's wait never looks like a stuck loop."""
    due = 0.0
    while not stop.is_set():
        if time.monotonic() >= due:
            due = time.monotonic() + interval
            try:
                shred_expired(pool, default_days)
            except Exception:  # the database away, a conflict: logged, and tried next time
                log.exception("report_retention_failed")
        if heartbeat is not None:
            heartbeat.beat()
        stop.wait(min(interval, 30.0))
