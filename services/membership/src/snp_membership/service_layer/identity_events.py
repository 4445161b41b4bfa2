"""What membership learns from identity's events: which tenants and member accounts exist, and
that an erased account leaves every group (a group losing its last leader is flagged).

Runs under the platform's ConsumerRunner (one transaction per batch, a savepoint per event,
the event id recorded), so the membership events an erasure causes are recorded exactly once.
"""

from __future__ import annotations

from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as identity_pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_membership.adapters.group_store import load_group, load_standing, record
from snp_membership.adapters.schema import IDENTITY_TABLES
from snp_membership.domain.joining import ERASURE_ACTOR, erase_account
from snp_platform.eventstore import EventMetadata, EventStore

Conn = psycopg.Connection[Any]


class IdentityProjection:
    """known_tenants and known_accounts from identity's events; erasure leaves every group."""

    name = "membership-identity"

    def __init__(self, store: EventStore) -> None:
        self._store = store

    def reset(self, conn: Conn) -> None:
        conn.execute(f"TRUNCATE {', '.join(IDENTITY_TABLES)}")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        kind = envelope.event_type
        if kind == "identity.TenantRegistered":
            tenant = identity_pb.TenantRegistered.FromString(envelope.payload)
            conn.execute(
                "INSERT INTO known_tenants (tenant, display_name) VALUES (%s, %s) "
                "ON CONFLICT (tenant) DO NOTHING",
                (tenant.slug, tenant.display_name),
            )
        elif kind == "identity.AccountRegistered":
            account = identity_pb.AccountRegistered.FromString(envelope.payload)
            conn.execute(
                "INSERT INTO known_accounts (account_id, tenant, kind) VALUES (%s, %s, %s) "
                "ON CONFLICT (account_id) DO NOTHING",
                (account.account_id, envelope.tenant, account.kind),
            )
        elif kind == "identity.AccountErased":
            erased = identity_pb.AccountErased.FromString(envelope.payload)
            self._erase(conn, envelope, erased.account_id)

    def _erase(self, conn: Conn, envelope: EventEnvelope, account_id: str) -> None:
        conn.execute(
            "INSERT INTO known_accounts (account_id, tenant, kind, erased) "
            "VALUES (%s, %s, 'unknown', true) ON CONFLICT (account_id) DO UPDATE SET erased = true",
            (account_id, envelope.tenant),
        )
        meta = EventMetadata(
            actor=ERASURE_ACTOR,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
        )
        group_ids = [
            r[0]
            for r in conn.execute(
                "SELECT group_id FROM group_members WHERE account_id = %s UNION "
                "SELECT group_id FROM join_requests WHERE account_id = %s AND status = 'pending'",
                (account_id, account_id),
            )
        ]
        for group_id in sorted(group_ids):
            group = load_group(conn, group_id)
            if group is None or group.tenant != envelope.tenant:
                continue  # an account only ever belongs to groups of its own tenant
            events = erase_account(group, load_standing(conn, group_id, account_id))
            if events:
                record(self._store, conn, group.tenant, group_id, events, group.version, meta)
