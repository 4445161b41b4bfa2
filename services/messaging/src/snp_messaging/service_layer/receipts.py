"""Delivery receipts from GOV.UK Notify: a permanent failure after acceptance is a bounce."""

from __future__ import annotations

from snp.messaging.v1 import events_pb2 as pb
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
        row = conn.execute(
            "SELECT tenant, account_id, channel, message_id::text, status FROM deliveries"
            " WHERE delivery_id = %s::uuid FOR UPDATE",
            (reference,),
        ).fetchone()
        if row is None:
            return False
        if outcome is None or row[4] != "sent":
            return True  # delivered, or not ours to change any more: nothing to record
        conn.execute(
            "UPDATE deliveries SET status = %s, last_error = %s, updated_at = now()"
            " WHERE delivery_id = %s::uuid",
            (outcome, f"notify receipt: {status}", reference),
        )
        problem = pb.ContactDeliveryProblemRecorded(
            account_id=row[1],
            channel=row[2],
            delivery_id=reference,
            message_id=row[3],
            outcome=outcome,
            reason=f"notify receipt: {status}",
        )
        record_contact_problem(ctx.streams, conn, problem, row[0])
    return True
