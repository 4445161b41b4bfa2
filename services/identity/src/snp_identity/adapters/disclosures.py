"""The member's disclosures: a projection of the `ContactsReleased` events on account streams
and the `ContactsBatchReleased` events naming many accounts, one row per account released
(state only). Every identity append applies to it in the append's transaction, so a release
is listed the moment it is recorded; `snp-events projection rebuild --from store --service
identity --projection snp_identity.adapters.disclosures:DisclosuresProjection` rebuilds it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from psycopg.rows import class_row

from snp.identity.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_identity.adapters.records import Conn

DISCLOSURES_SCHEMA = """
CREATE TABLE IF NOT EXISTS disclosures (
    event_id     text NOT NULL,
    tenant       text NOT NULL,
    account_id   text NOT NULL,
    released_at  timestamptz NOT NULL,
    requested_by text NOT NULL,
    note         text NOT NULL,   -- the event's free-text purpose
    why          bytea NOT NULL   -- its ReleasePurpose (empty for releases recorded before it)
);
-- One event may release many accounts: a row is one account's part of one release.
ALTER TABLE disclosures DROP CONSTRAINT IF EXISTS disclosures_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS disclosures_release ON disclosures (event_id, account_id);
CREATE INDEX IF NOT EXISTS disclosures_newest
    ON disclosures (tenant, account_id, released_at DESC, event_id DESC);
"""


@dataclass(frozen=True)
class DisclosureRow:
    event_id: str
    released_at: datetime
    requested_by: str
    note: str
    why: bytes


class DisclosuresProjection:
    """A row for each account in each release; an erased account's rows go with it."""

    name = "identity.disclosures"

    def reset(self, conn: Conn) -> None:
        conn.execute("DELETE FROM disclosures")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type == "identity.ContactsReleased":
            one = pb.ContactsReleased.FromString(envelope.payload)
            _insert(conn, envelope, [one.account_id], one.requested_by, one.purpose, _why(one))
        elif envelope.event_type == "identity.ContactsBatchReleased":
            many = pb.ContactsBatchReleased.FromString(envelope.payload)
            _insert(conn, envelope, many.account_ids, many.requested_by, many.purpose, _why(many))
        elif envelope.event_type == "identity.AccountErased":
            erased = pb.AccountErased.FromString(envelope.payload)
            conn.execute(
                "DELETE FROM disclosures WHERE tenant = %s AND account_id = %s",
                (envelope.tenant, erased.account_id),
            )


def _why(released: pb.ContactsReleased | pb.ContactsBatchReleased) -> bytes:
    return released.why.SerializeToString() if released.HasField("why") else b""


def _insert(
    conn: Conn,
    envelope: EventEnvelope,
    account_ids: Sequence[str],
    requested_by: str,
    note: str,
    why: bytes,
) -> None:
    released_at = envelope.occurred_at.ToDatetime(tzinfo=UTC)
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO disclosures (event_id, tenant, account_id, released_at,"
            " requested_by, note, why) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (event_id, account_id) DO NOTHING",
            [
                (envelope.event_id, envelope.tenant, a, released_at, requested_by, note, why)
                for a in account_ids
            ],
        )


def newest_first(
    conn: Conn, tenant: str, account_id: str, after: str | None, limit: int
) -> list[DisclosureRow]:
    """Up to `limit` of the account's releases, newest first, after the cursor's release (an
    event id of this same account; any other cursor gives an empty page)."""
    with conn.cursor(row_factory=class_row(DisclosureRow)) as cur:
        return cur.execute(
            "SELECT event_id, released_at, requested_by, note, why FROM disclosures"
            " WHERE tenant = %(tenant)s AND account_id = %(account)s AND (%(after)s::text IS NULL"
            "  OR (released_at, event_id) < (SELECT released_at, event_id FROM disclosures"
            "   WHERE event_id = %(after)s AND tenant = %(tenant)s AND account_id = %(account)s))"
            " ORDER BY released_at DESC, event_id DESC LIMIT %(limit)s",
            {"tenant": tenant, "account": account_id, "after": after, "limit": limit},
        ).fetchall()
