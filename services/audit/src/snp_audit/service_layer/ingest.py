"""Ingestion: events from every service's topic, and OPA's decision logs, into tenants' logs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import structlog
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope
from snp_audit.adapters import log_store
from snp_audit.domain import subjects
from snp_audit.domain.decisions import NotADecision, to_record
from snp_audit.domain.entries import Record
from snp_platform.metrics import counter

EVENT_TOPICS = r"^snp\..+\.events$"  # a regex: services added later are picked up too
INGESTED = counter("snp_audit_ingested_total", "Entries appended, by source", ["source"])
DUPLICATES = counter("snp_audit_duplicates_total", "Items already logged, by source", ["source"])
SKIPPED = counter("snp_audit_decisions_skipped_total", "Decision-log items that are not ours")
log = structlog.get_logger(__name__)


def event_record(envelope: EventEnvelope) -> Record:
    """The event's ids and metadata; the payload only as its SHA-256, which lets an auditor
    match the entry to the event in its service's store without the log holding its content."""
    occurred = (
        envelope.occurred_at.ToDatetime(tzinfo=UTC)
        if envelope.HasField("occurred_at")
        else datetime.now(UTC)
    )
    service = envelope.source_service or envelope.event_type.split(".", 1)[0]
    return Record(
        tenant=envelope.tenant,
        source="event",
        service=service,
        type=envelope.event_type,
        ref=envelope.event_id,
        actor=envelope.actor,
        subject=subjects.of_stream(service, envelope.stream_id),
        occurred_at=occurred,
        correlation_id=envelope.correlation_id,
        attrs={
            "stream_version": envelope.stream_version,
            "schema_version": envelope.schema_version,
            "causation_id": envelope.causation_id,
            "payload_sha256": hashlib.sha256(envelope.payload).hexdigest(),
        },
    )


class EventsEnterTheLog:
    """Every service's events become entries of their tenant's log. A reaction, not a
    projection: the hash-chained log is appended to once per event and never rebuilt."""

    name = "audit.event-log"

    def react(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        if log_store.append(conn, event_record(envelope)) is None:
            DUPLICATES.labels("event").inc()
        else:
            INGESTED.labels("event").inc()


@dataclass(frozen=True)
class DecisionBatch:
    logged: int
    duplicates: int
    skipped: int


def log_decisions(pool: ConnectionPool[Any], items: Iterable[Mapping[str, Any]]) -> DecisionBatch:
    """Append a decision-log batch in one transaction: OPA retries a failed upload whole, and
    decision ids are unique, so a retry of a batch that did commit logs nothing twice."""
    records: list[Record] = []
    skipped = 0
    for item in items:
        try:
            records.append(to_record(item))
        except NotADecision as error:
            skipped += 1
            log.info("audit_decision_skipped", reason=str(error))
    logged = 0
    with pool.connection() as conn, conn.transaction():
        # Tenants in a fixed order, so two batches never wait on each other's head locks.
        for record in sorted(records, key=lambda r: r.tenant):
            if log_store.append(conn, record) is not None:
                logged += 1
    INGESTED.labels("decision").inc(logged)
    DUPLICATES.labels("decision").inc(len(records) - logged)
    SKIPPED.inc(skipped)
    return DecisionBatch(logged, len(records) - logged, skipped)
