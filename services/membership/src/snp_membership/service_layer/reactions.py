"""What identity's events cause in membership: run once per event id, never by a rebuild (see
snp_platform.projections)."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as identity_pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_membership.adapters.event_streams import group_stream, membership_streams
from snp_membership.adapters.group_store import groups_of_account, load_group, load_standing
from snp_membership.domain.joining import ERASURE_ACTOR, erase_account
from snp_platform.eventstore import EventMetadata, EventStore

Conn = psycopg.Connection[Any]


class ErasedAccountsLeaveGroups:
    """An erased account leaves every group and withdraws its pending requests (a group losing
    its last leader is flagged), each recorded as the group's own event."""

    name = "membership.erased-accounts-leave-groups"
    event_types = ("identity.AccountErased",)

    def __init__(self, store: EventStore) -> None:
        self._streams = membership_streams(store)

    def react(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type != "identity.AccountErased":
            return
        account_id = identity_pb.AccountErased.FromString(envelope.payload).account_id
        meta = EventMetadata(
            actor=ERASURE_ACTOR,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
        )
        for group_id in groups_of_account(conn, account_id):
            group = load_group(conn, group_id)
            if group is None or group.tenant != envelope.tenant:
                continue  # an account only ever belongs to groups of its own tenant
            events = erase_account(group, load_standing(conn, group_id, account_id))
            if events:
                stream = group_stream(group.tenant, group_id)
                self._streams.append(stream, events, group.version, meta, conn=conn)
