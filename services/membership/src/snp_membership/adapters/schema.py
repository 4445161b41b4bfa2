"""Membership's read models in its own database. All are projections: the group tables of
membership's own event store (kept in the same transaction as each append, rebuildable), the
tenants and accounts of identity's events (kept by the consumer, rebuildable from Kafka)."""

from __future__ import annotations

import psycopg

# "areas" is folded from membership's own `area:<account>` streams with the group tables.
GROUP_TABLES = (
    "approvals",
    "join_requests",
    "group_officers",
    "group_members",
    "groups",
    "areas",
)
IDENTITY_TABLES = ("known_accounts", "known_tenants")

MEMBERSHIP_SCHEMA = """
CREATE TABLE IF NOT EXISTS groups (
    group_id      text PRIMARY KEY,
    tenant        text NOT NULL,
    group_type    text NOT NULL,
    ward_code     text NOT NULL,
    ward_name     text NOT NULL,
    name          text NOT NULL,
    description   text NOT NULL,
    visibility    text NOT NULL,
    directory     text NOT NULL,
    status        text NOT NULL,
    needs_officer boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS groups_by_name ON groups (tenant, lower(name), group_id);
CREATE INDEX IF NOT EXISTS groups_by_ward ON groups (tenant, ward_code, lower(name), group_id);

CREATE TABLE IF NOT EXISTS group_members (
    group_id    text NOT NULL,
    account_id  text NOT NULL,
    tenant      text NOT NULL,
    admitted_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX IF NOT EXISTS group_members_by_account ON group_members (account_id, group_id);

CREATE TABLE IF NOT EXISTS group_officers (
    group_id   text NOT NULL,
    account_id text NOT NULL,
    role       text NOT NULL,
    PRIMARY KEY (group_id, account_id, role)
);

CREATE TABLE IF NOT EXISTS join_requests (
    request_id   text PRIMARY KEY,
    group_id     text NOT NULL,
    account_id   text NOT NULL,
    status       text NOT NULL,  -- pending | admitted | rejected
    requested_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS one_pending_request
    ON join_requests (group_id, account_id) WHERE status = 'pending';

-- account_id is '' for a marking on the group itself.
CREATE TABLE IF NOT EXISTS approvals (
    group_id   text NOT NULL,
    subject    text NOT NULL,
    account_id text NOT NULL,
    side       text NOT NULL,
    PRIMARY KEY (group_id, subject, account_id, side)
);

-- The wards each area coordinator covers (the last AreaSet on `area:<account id>`).
CREATE TABLE IF NOT EXISTS areas (
    account_id text PRIMARY KEY,
    tenant     text NOT NULL,
    ward_codes text[] NOT NULL
);

CREATE TABLE IF NOT EXISTS known_tenants (
    tenant       text PRIMARY KEY,
    display_name text NOT NULL
);

CREATE TABLE IF NOT EXISTS known_accounts (
    account_id text PRIMARY KEY,
    tenant     text NOT NULL,
    kind       text NOT NULL,
    erased     boolean NOT NULL DEFAULT false
);
"""

_SCHEMA_LOCK_KEY = 0x4D454D  # "MEM": api, relay and consumer may start at once


def create_membership_schema(conninfo: str) -> None:
    """Create membership's tables if missing (idempotent, safe to race)."""
    with psycopg.connect(conninfo, autocommit=False) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK_KEY,))
        conn.execute(MEMBERSHIP_SCHEMA)
