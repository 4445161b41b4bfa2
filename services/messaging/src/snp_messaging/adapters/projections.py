"""Messaging's read models of other services' events (state only: rebuilding one is safe).

Membership's events give the groups, their wards and who holds which role (the shared
GroupRolesProjection); identity's give each force's name and its partner agencies (the
information providers members consent to).
"""

from __future__ import annotations

from typing import Any

import psycopg

from snp.identity.v1 import events_pb2 as identity
from snp.v1.envelope_pb2 import EventEnvelope
from snp_platform.group_roles import GroupRolesProjection
from snp_platform.revocations import RevocationsProjection

Conn = psycopg.Connection[Any]


class RecipientsProjection:
    """Groups, wards, roles, force names, which accounts are staff and which were erased:
    what recipients are resolved from (a follow-up skips the erased). Rebuild it
    from the operator's console, or with `snp-events projection rebuild --projection
    snp_messaging.adapters.projections:RecipientsProjection --from kafka --topic
    snp.membership.events --topic snp.identity.events` (the consumer waits while it runs)."""

    # Identity's events named one by one: its most frequent, the contact releases of every
    # fan-out, are nothing to recipients and are not offered.
    event_types = (
        "membership.",
        "identity.TenantRegistered",
        "identity.AgencyRegistered",
        "identity.AgencyRenamed",
        "identity.AgencyRetired",
        "identity.AccountRegistered",
        "identity.AccountErased",
    )

    def __init__(self, name: str = "messaging.recipients") -> None:
        self.name = name
        self._roles = GroupRolesProjection(name)

    def reset(self, conn: Conn) -> None:
        # DELETE, not TRUNCATE: a rebuild is one long transaction, and readers keep the old rows
        # meanwhile instead of waiting for TRUNCATE's exclusive lock.
        conn.execute("DELETE FROM groups")
        conn.execute("DELETE FROM group_roles")
        conn.execute("DELETE FROM forces")
        conn.execute("DELETE FROM agencies")
        conn.execute("DELETE FROM staff_accounts")
        conn.execute("DELETE FROM erased_accounts")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type == "identity.TenantRegistered":
            tenant = identity.TenantRegistered.FromString(envelope.payload)
            conn.execute(
                "INSERT INTO forces (tenant, display_name) VALUES (%s, %s) ON CONFLICT (tenant)"
                " DO UPDATE SET display_name = EXCLUDED.display_name",
                (tenant.slug, tenant.display_name),
            )
        elif envelope.event_type.startswith("identity.Agency"):
            _agency(conn, envelope)
        elif envelope.event_type == "identity.AccountRegistered":
            account = identity.AccountRegistered.FromString(envelope.payload)
            if account.kind != "member":
                conn.execute(
                    "INSERT INTO staff_accounts (account_id, tenant, kind) VALUES (%s, %s, %s)"
                    " ON CONFLICT (account_id) DO NOTHING",
                    (account.account_id, envelope.tenant, account.kind),
                )
        elif envelope.event_type == "identity.AccountErased":
            erased = identity.AccountErased.FromString(envelope.payload)
            conn.execute(
                "INSERT INTO erased_accounts (account_id, tenant) VALUES (%s, %s)"
                " ON CONFLICT (account_id) DO NOTHING",
                (erased.account_id, envelope.tenant),
            )
        else:
            self._roles.apply(conn, envelope)


def _agency(conn: Conn, envelope: EventEnvelope) -> None:
    if envelope.event_type == "identity.AgencyRegistered":
        made = identity.AgencyRegistered.FromString(envelope.payload)
        conn.execute(
            "INSERT INTO agencies (tenant, agency_id, name, kind) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (agency_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind",
            (envelope.tenant, made.agency_id, made.name, made.kind),
        )
    elif envelope.event_type == "identity.AgencyRenamed":
        renamed = identity.AgencyRenamed.FromString(envelope.payload)
        conn.execute(
            "UPDATE agencies SET name = %s WHERE agency_id = %s",
            (renamed.name, renamed.agency_id),
        )
    elif envelope.event_type == "identity.AgencyRetired":
        retired = identity.AgencyRetired.FromString(envelope.payload)
        conn.execute(
            "UPDATE agencies SET retired = true WHERE agency_id = %s", (retired.agency_id,)
        )


def revocations_projection() -> RevocationsProjection:
    return RevocationsProjection()
