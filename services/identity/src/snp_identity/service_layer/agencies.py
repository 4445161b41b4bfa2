"""Use cases for a force's partner agencies: register, rename, retire, list.

Each loads the agency's stream, decides with the domain and appends, updating the `agencies`
projection in the same transaction. Names are unique among a force's active agencies (the
check under the transaction, and the unique index for two administrators racing)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
from google.protobuf.message import Message

from snp_identity.adapters import agency_records
from snp_identity.adapters.event_streams import agency_stream
from snp_identity.domain import agencies
from snp_identity.service_layer.context import IdentityContext, NotFound
from snp_platform.eventstore import EventMetadata
from snp_platform.revocations import revoke_partners_of_retired_agency


class DuplicateAgencyName(Exception):
    """Another active agency of the force has this name (409)."""


def register_agency(
    ctx: IdentityContext, tenant: str, name: str, kind: str, by: str, metadata: EventMetadata
) -> str:
    agency_id = str(uuid.uuid4())
    events = agencies.register(agencies.Agency(agency_id), name, kind, by)
    registered_at = datetime.fromtimestamp(ctx.clock(), UTC)
    _record(ctx, tenant, agency_id, events, 0, registered_at, metadata)
    return agency_id


def rename_agency(
    ctx: IdentityContext, tenant: str, agency_id: str, name: str, by: str, metadata: EventMetadata
) -> None:
    _change(ctx, tenant, agency_id, lambda a: agencies.rename(a, name, by), metadata)


def retire_agency(
    ctx: IdentityContext, tenant: str, agency_id: str, by: str, metadata: EventMetadata
) -> None:
    """Retire the agency and end its partners' access: the event names them, so every service
    (identity in this transaction, the others from the event) revokes their live tokens."""
    with ctx.pool.connection() as conn:
        partners = agency_records.partner_accounts_of(conn, tenant, agency_id)
    _change(ctx, tenant, agency_id, lambda a: agencies.retire(a, by, partners), metadata)


def list_agencies(ctx: IdentityContext, tenant: str) -> list[agency_records.AgencyRow]:
    with ctx.pool.connection() as conn:
        return agency_records.agencies_of(conn, tenant)


def find_agency(ctx: IdentityContext, tenant: str, agency_id: str) -> agency_records.AgencyRow:
    """The agency of this force (NotFound for an unknown id and another force's alike)."""
    with ctx.pool.connection() as conn:
        row = agency_records.find_agency(conn, tenant, agency_id)
    if row is None:
        raise NotFound(agency_id)
    return row


def _change(
    ctx: IdentityContext,
    tenant: str,
    agency_id: str,
    decide: Callable[[agencies.Agency], list[Message]],
    metadata: EventMetadata,
) -> None:
    history, version = ctx.streams.load(agency_stream(tenant, agency_id))
    if not history:
        raise NotFound(agency_id)
    events = decide(agencies.fold(agency_id, history))
    if events:
        found = find_agency(ctx, tenant, agency_id)
        _record(ctx, tenant, agency_id, events, version, found.registered_at, metadata, history)


def _record(
    ctx: IdentityContext,
    tenant: str,
    agency_id: str,
    events: list[Message],
    version: int,
    registered_at: datetime,
    metadata: EventMetadata,
    history: list[Message] | None = None,
) -> None:
    after = agencies.fold(agency_id, [*(history or []), *events])
    row = agency_records.AgencyRow(
        agency_id,
        tenant,
        after.name,
        after.kind,
        "retired" if after.retired else "active",
        registered_at,
        after.version,
    )
    try:
        with ctx.pool.connection() as conn, conn.transaction():
            if not after.retired and agency_records.active_name_taken(
                conn, tenant, after.name, agency_id
            ):
                raise DuplicateAgencyName(after.name)
            ctx.streams.append(
                agency_stream(tenant, agency_id), events, version, metadata, conn=conn
            )
            agency_records.save_agency(conn, row)
            for event in events:
                revoke_partners_of_retired_agency(conn, tenant, event, datetime.now(UTC))
    except psycopg.errors.UniqueViolation as race:
        raise DuplicateAgencyName(after.name) from race
