"""The group-roles projection: membership's events in, who holds which role in which group out.

An account is a `member` of a group from MemberAdmitted until MemberLeft or MemberRemoved, and
holds an office from OfficerAppointed until OfficerStoodDown (or the end of its membership). The
policy reads these rows for every documents question, so an officer stood down loses access as
soon as this consumer applies the event; a member who leaves is also taken off the group's
mailing lists, in the same transaction.
"""

from __future__ import annotations

from typing import Any

import psycopg
from google.protobuf.message import Message

from snp.membership.v1 import events_pb2 as membership
from snp.v1.envelope_pb2 import EventEnvelope
from snp_documents.service_layer import mailing_lists
from snp_documents.service_layer.context import DocumentsContext
from snp_platform.eventstore import EventMetadata

MEMBERSHIP_TOPIC = "snp.membership.events"
CONSUMER_GROUP = "documents.group-roles"
_TYPES: dict[str, type[Message]] = {
    f"membership.{m.DESCRIPTOR.name}": m
    for m in (
        membership.GroupCreated,
        membership.MemberAdmitted,
        membership.MemberLeft,
        membership.MemberRemoved,
        membership.OfficerAppointed,
        membership.OfficerStoodDown,
    )
}
Conn = psycopg.Connection[Any]


class GroupRolesProjection:
    """Applies membership's events; other event types (and other topics) are ignored."""

    name = CONSUMER_GROUP

    def __init__(self, ctx: DocumentsContext) -> None:
        self._ctx = ctx

    def reset(self, conn: Conn) -> None:
        conn.execute("DELETE FROM group_roles")
        conn.execute("DELETE FROM groups")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        message_type = _TYPES.get(envelope.event_type)
        if message_type is None:
            return
        event: Any = message_type.FromString(envelope.payload)
        group = event.group
        if group.tenant != envelope.tenant:
            raise ValueError("a membership event's group is in another tenant than its envelope")
        conn.execute(
            "INSERT INTO groups (group_id, tenant, group_type) VALUES (%s, %s, %s)"
            " ON CONFLICT (group_id) DO UPDATE SET group_type = EXCLUDED.group_type"
            " WHERE groups.tenant = EXCLUDED.tenant",
            (group.group_id, group.tenant, group.group_type),
        )
        if isinstance(event, membership.MemberAdmitted):
            self._grant(conn, group, event.account_id, "member")
        elif isinstance(event, membership.OfficerAppointed):
            self._grant(conn, group, event.account_id, event.role)
        elif isinstance(event, membership.OfficerStoodDown):
            conn.execute(
                "DELETE FROM group_roles WHERE group_id = %s AND account_id = %s AND role = %s",
                (group.group_id, event.account_id, event.role),
            )
        elif isinstance(event, membership.MemberLeft | membership.MemberRemoved):
            conn.execute(
                "DELETE FROM group_roles WHERE group_id = %s AND account_id = %s",
                (group.group_id, event.account_id),
            )
            actor = EventMetadata(
                actor="service:documents",
                correlation_id=envelope.correlation_id,
                causation_id=envelope.event_id,
            )
            mailing_lists.member_left_group(
                self._ctx, conn, group.tenant, group.group_id, event.account_id, actor
            )

    @staticmethod
    def _grant(conn: Conn, group: Any, account_id: str, role: str) -> None:
        conn.execute(
            "INSERT INTO group_roles (group_id, account_id, role, tenant) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (group.group_id, account_id, role, group.tenant),
        )
