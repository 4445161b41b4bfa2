"""Marking a recipient's contact as having a delivery problem (a bounce or a permanent failure).

The mark names the account and channel, never the address; the member sees it with their
preferences (the event's row, written by messaging's read model as it is recorded), and the
ContactDeliveryProblemRecorded event tells the audit log.
"""

from __future__ import annotations

from typing import Any

import psycopg

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import event_streams
from snp_messaging.adapters.event_streams import MessagingStreams
from snp_platform.eventstore import ANY_VERSION, EventMetadata


def record_contact_problem(
    streams: MessagingStreams,
    conn: psycopg.Connection[Any],
    problem: pb.ContactDeliveryProblemRecorded,
    tenant: str,
) -> None:
    stream = event_streams.recipient_stream(tenant, problem.account_id)
    streams.append(stream, [problem], ANY_VERSION, EventMetadata(actor="service:messaging"), conn)
