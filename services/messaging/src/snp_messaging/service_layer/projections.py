"""Projections of other services' events that messaging reads when it sends.

Membership's events (each carries its group: id, tenant, type, ward) give the groups, their
wards and who holds which role; identity's give each force's name and erasures; documents'
DocumentForwarded becomes a notification. Each handler runs inside the consumer runner's
transaction with the event id recorded, so an event is applied once in effect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as identity
from snp.membership.v1 import events_pb2 as membership
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.service_layer import forwarding
from snp_platform.eventstore import EventStore
from snp_platform.topics import events_topic

CONSUMER_GROUP = "messaging-projections"
Conn = psycopg.Connection[Any]
Apply = Callable[[Conn, EventEnvelope], None]
TOPICS = [events_topic(s) for s in ("identity", "membership", "documents")]


def _group(conn: Conn, ref: membership.GroupRef, name: str | None = None) -> None:
    """Every membership event carries its group: keep the group row (and its ward) current."""
    conn.execute(
        "INSERT INTO groups (group_id, tenant, name, group_type, ward_code, ward_name)"
        " VALUES (%s, %s, coalesce(%s, ''), %s, %s, %s) ON CONFLICT (group_id) DO UPDATE SET"
        " name = coalesce(%s, groups.name), group_type = EXCLUDED.group_type,"
        " ward_code = EXCLUDED.ward_code, ward_name = EXCLUDED.ward_name",
        (ref.group_id, ref.tenant, name, ref.group_type, ref.ward_code, ref.ward_name, name),
    )


def _grant(conn: Conn, ref: membership.GroupRef, account_id: str, role: str) -> None:
    _group(conn, ref)
    conn.execute(
        "INSERT INTO group_roles (tenant, group_id, account_id, role) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (ref.tenant, ref.group_id, account_id, role),
    )


def _revoke(conn: Conn, ref: membership.GroupRef, account_id: str, role: str | None) -> None:
    """Take away one office, or (role None) the whole membership and every office with it."""
    conn.execute(
        "DELETE FROM group_roles WHERE group_id = %s AND account_id = %s"
        " AND (%s::text IS NULL OR role = %s::text)",
        (ref.group_id, account_id, role, role),
    )


def _membership(conn: Conn, kind: str, payload: bytes) -> None:
    if kind == "GroupCreated":
        created = membership.GroupCreated.FromString(payload)
        _group(conn, created.group, created.name)
    elif kind == "GroupUpdated":
        updated = membership.GroupUpdated.FromString(payload)
        _group(conn, updated.group, updated.name)
    elif kind == "GroupClosed":
        closed = membership.GroupClosed.FromString(payload)
        _group(conn, closed.group)
        conn.execute(
            "UPDATE groups SET closed = true WHERE group_id = %s", (closed.group.group_id,)
        )
    elif kind == "MemberAdmitted":
        admitted = membership.MemberAdmitted.FromString(payload)
        _grant(conn, admitted.group, admitted.account_id, "member")
    elif kind == "OfficerAppointed":
        appointed = membership.OfficerAppointed.FromString(payload)
        _grant(conn, appointed.group, appointed.account_id, appointed.role)
    elif kind == "OfficerStoodDown":
        stood_down = membership.OfficerStoodDown.FromString(payload)
        _revoke(conn, stood_down.group, stood_down.account_id, stood_down.role)
    elif kind == "MemberLeft":
        left = membership.MemberLeft.FromString(payload)
        _revoke(conn, left.group, left.account_id, None)
    elif kind == "MemberRemoved":
        removed = membership.MemberRemoved.FromString(payload)
        _revoke(conn, removed.group, removed.account_id, None)


def _identity(conn: Conn, kind: str, payload: bytes) -> None:
    if kind == "TenantRegistered":
        tenant = identity.TenantRegistered.FromString(payload)
        conn.execute(
            "INSERT INTO forces (tenant, display_name) VALUES (%s, %s) ON CONFLICT (tenant)"
            " DO UPDATE SET display_name = EXCLUDED.display_name",
            (tenant.slug, tenant.display_name),
        )
    elif kind == "AccountErased":
        # An erased account is sent nothing more and leaves no preferences behind.
        account_id = identity.AccountErased.FromString(payload).account_id
        conn.execute("DELETE FROM preferences WHERE account_id = %s", (account_id,))
        conn.execute("DELETE FROM contact_problems WHERE account_id = %s", (account_id,))
        conn.execute(
            "UPDATE deliveries SET status = 'failed', last_error = 'account erased',"
            " updated_at = now() WHERE account_id = %s AND status IN ('pending', 'queued')",
            (account_id,),
        )


class Projections:
    """The consumer's handler: applies what messaging uses and ignores the rest."""

    def __init__(self, store: EventStore, documents_base_url: str) -> None:
        self._store, self._documents_base_url = store, documents_base_url

    def __call__(self, conn: Conn, envelope: EventEnvelope) -> None:
        service, _, kind = envelope.event_type.rpartition(".")
        source = envelope.source_service or service
        if source == "membership":
            _membership(conn, kind, envelope.payload)
        elif source == "identity":
            _identity(conn, kind, envelope.payload)
        elif source == "documents" and kind == "DocumentForwarded":
            forwarding.notify_forwarded(self._store, conn, envelope, self._documents_base_url)


class RecipientsProjection:
    """Groups, wards, roles and force names as a rebuildable projection (`snp-events
    projection rebuild --projection snp_messaging.service_layer.projections:RecipientsProjection
    --from kafka --topic snp.membership.events --topic snp.identity.events`, with the consumer
    stopped). Forwarded documents are reactions, not state: a rebuild never sends them again."""

    def __init__(self, name: str = CONSUMER_GROUP) -> None:
        self.name = name

    def reset(self, conn: Conn) -> None:
        conn.execute("TRUNCATE groups, group_roles, forces")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        service, _, kind = envelope.event_type.rpartition(".")
        source = envelope.source_service or service
        if source == "membership":
            _membership(conn, kind, envelope.payload)
        elif source == "identity" and kind == "TenantRegistered":
            _identity(conn, kind, envelope.payload)
