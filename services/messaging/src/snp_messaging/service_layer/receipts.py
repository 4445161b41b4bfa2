"""Word that a delivery failed after its provider accepted it: a GOV.UK Notify receipt, or a
bounce that came back by mail (service_layer/bounces.py). Either marks the delivery and the
member's contact, once."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import deliveries
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_messaging.service_layer.contact_problems import record_contact_problem
from snp_messaging.service_layer.context import MessagingContext
from snp_messaging.service_layer.fallback import fall_back

# Notify's final statuses: the address is bad, or Notify gave up trying.
OUTCOMES = {
    "permanent-failure": "bounced",
    "temporary-failure": "failed",
    "technical-failure": "failed",
}


def record_receipt(ctx: MessagingContext, reference: str, status: str) -> bool:
    """Apply a receipt for the delivery `reference`; False if no such sent delivery."""
    outcome = OUTCOMES.get(status)
    with ctx.pool.connection() as conn, conn.transaction():
        if outcome is None:
            return deliveries.lock_for_receipt(conn, reference) is not None
        return record_late_failure(
            ctx.streams, conn, reference, outcome, f"notify receipt: {status}"
        )


def record_late_failure(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    delivery_id: str,
    outcome: str,
    reason: str,
) -> bool:
    """Mark a sent delivery `outcome` (bounced, failed) and record the contact problem, in the
    caller's transaction; False if there is no such delivery. One already marked, or never
    sent, is left as it is."""
    delivery = deliveries.lock_for_receipt(conn, delivery_id)
    if delivery is None:
        return False
    if delivery.status != "sent":
        return True  # not ours to change any more: nothing to record
    deliveries.record_receipt(conn, delivery_id, outcome, reason)
    problem = pb.ContactDeliveryProblemRecorded(
        account_id=delivery.account_id,
        channel=delivery.channel,
        delivery_id=delivery_id,
        message_id=delivery.message_id,
        outcome=outcome,
        reason=reason,
    )
    record_contact_problem(streams, conn, problem, delivery.tenant)
    # The phone number is not known here: the fallback text's worker asks identity for it.
    fall_back(
        streams,
        conn,
        tenant=delivery.tenant,
        account_id=delivery.account_id,
        message_id=delivery.message_id,
        failed_delivery_id=delivery_id,
        channel=delivery.channel,
        outcome=outcome,
    )
    return True
