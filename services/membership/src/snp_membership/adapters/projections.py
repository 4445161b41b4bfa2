"""Membership's read models of other services' events (state only: rebuilding one is safe)."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as identity_pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.revocations import RevocationsProjection

Conn = psycopg.Connection[Any]


class KnownAccountsProjection:
    """known_tenants and known_accounts (with their erasure) from identity's events. Rebuild
    it from the operator's console, or with `snp-events projection rebuild --projection
    snp_membership.adapters.projections:KnownAccountsProjection --from kafka --topic
    snp.identity.events`."""

    name = "membership.known-accounts"
    # Not "identity.": the contact releases of every fan-out are nothing to it.
    event_types = (
        "identity.TenantRegistered",
        "identity.AccountRegistered",
        "identity.AccountErased",
    )

    def reset(self, conn: Conn) -> None:
        # DELETE, not TRUNCATE: a rebuild is one long transaction, and readers keep the old rows
        # meanwhile instead of waiting for TRUNCATE's exclusive lock.
        conn.execute("DELETE FROM known_accounts")
        conn.execute("DELETE FROM known_tenants")

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
            conn.execute(
                "INSERT INTO known_accounts (account_id, tenant, kind, erased) VALUES "
                "(%s, %s, 'unknown', true) ON CONFLICT (account_id) DO UPDATE SET erased = true",
                (erased.account_id, envelope.tenant),
            )


def revocations_projection() -> RevocationsProjection:
    return RevocationsProjection()
