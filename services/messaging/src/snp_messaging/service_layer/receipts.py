"""Delivery receipts from GOV.UK Notify: a permanent failure after acceptance is a bounce."""

from __future__ import annotations

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import deliveries
from snp_messaging.service_layer.contact_problems import record_contact_problem
from snp_messaging.service_layer.context import MessagingContext

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
        delivery = deliveries.lock_for_receipt(conn, reference)
        if delivery is None:
            return False
        if outcome is None or delivery.status != "sent":
            return True  # delivered, or not ours to change any more: nothing to record
        reason = f"notify receipt: {status}"
        deliveries.record_receipt(conn, reference, outcome, reason)
        problem = pb.ContactDeliveryProblemRecorded(
            account_id=delivery.account_id,
            channel=delivery.channel,
            delivery_id=reference,
            message_id=delivery.message_id,
            outcome=outcome,
            reason=reason,
        )
        record_contact_problem(ctx.streams, conn, problem, delivery.tenant)
    return True
