"""What membership's events cause in documents: commands, run once per event id, never by a
rebuild (see snp_platform.projections)."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.v1.envelope_pb2 import EventEnvelope
from snp_documents.service_layer import mailing_lists
from snp_documents.service_layer.context import DocumentsContext
from snp_platform.eventstore import EventMetadata
from snp_platform.group_roles import LEAVING_EVENTS, membership_event

Conn = psycopg.Connection[Any]


class LeaversLeaveMailingLists:
    """A member who leaves or is removed from a group is taken off the group's mailing lists,
    each removal recorded as the list's own event."""

    name = "documents.leavers-leave-mailing-lists"
    event_types = ("membership.",)

    def __init__(self, ctx: DocumentsContext) -> None:
        self._ctx = ctx

    def react(self, conn: Conn, envelope: EventEnvelope) -> None:
        event = membership_event(envelope)
        if not isinstance(event, LEAVING_EVENTS):
            return
        caused_by = EventMetadata(
            actor="service:documents",
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
        )
        mailing_lists.member_left_group(
            self._ctx, conn, event.group.tenant, event.group.group_id, event.account_id, caused_by
        )
