"""Audit's tables: the entries (each with the log's head after it), the Merkle tree's stored
subtrees, the tenants, and the signed checkpoints.

Entries, subtrees and checkpoints refuse UPDATE, DELETE and TRUNCATE (as the event store does):
the application can only append. A DBA can still switch the triggers off, which is why every
entry is chained and checkpointed under a signature: such changes are then detected, not
prevented.
"""

from __future__ import annotations

import psycopg

AUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_entries (
    tenant      text        NOT NULL,
    idx         bigint      NOT NULL CHECK (idx >= 0),
    entry       bytea       NOT NULL,
    leaf_hash   bytea       NOT NULL,
    source      text        NOT NULL,
    service     text        NOT NULL,
    event_type  text        NOT NULL,
    ref         text        NOT NULL,
    actor       text        NOT NULL,
    subject     text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    -- The head after this entry: its hash (the next entry's `prev`) and the Merkle frontier.
    -- The last row is where the next append continues, so no row is ever updated.
    entry_hash  text        NOT NULL,
    frontier    bytea       NOT NULL,
    PRIMARY KEY (tenant, idx)
);
CREATE UNIQUE INDEX IF NOT EXISTS audit_entries_ref ON audit_entries (source, ref);
CREATE INDEX IF NOT EXISTS audit_entries_actor ON audit_entries (tenant, actor, idx);
CREATE INDEX IF NOT EXISTS audit_entries_subject ON audit_entries (tenant, subject, idx);
-- The subject's id without its kind (`account:a1` and a bare `a1` alike): older entries name
-- some subjects bare, and search finds both forms (domain/subjects.py).
CREATE INDEX IF NOT EXISTS audit_entries_subject_id ON audit_entries (tenant, (
    CASE WHEN strpos(subject, ':') > 0 THEN substr(subject, strpos(subject, ':') + 1)
    ELSE subject END), idx);
CREATE INDEX IF NOT EXISTS audit_entries_time ON audit_entries (tenant, occurred_at);

-- Roots of the perfect subtrees (level >= 1; level 0 is audit_entries.leaf_hash): proofs read
-- O(log n) of these instead of every leaf.
CREATE TABLE IF NOT EXISTS audit_nodes (
    tenant text     NOT NULL,
    level  smallint NOT NULL CHECK (level > 0),
    idx    bigint   NOT NULL CHECK (idx >= 0),
    hash   bytea    NOT NULL,
    PRIMARY KEY (tenant, level, idx)
);

-- The tenants that have a log (written once, at a tenant's first entry).
CREATE TABLE IF NOT EXISTS audit_tenants (
    tenant     text        PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS audit_checkpoints (
    tenant    text        NOT NULL,
    tree_size bigint      NOT NULL,
    root_hash bytea       NOT NULL,
    signed_at timestamptz NOT NULL,
    key_id    text        NOT NULL,
    signature bytea       NOT NULL,
    PRIMARY KEY (tenant, tree_size)
);

CREATE OR REPLACE FUNCTION snp_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% on % refused)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""

APPEND_ONLY = ("audit_entries", "audit_nodes", "audit_checkpoints", "audit_tenants")
_LOCK_KEY = 0x415544  # "AUD": several processes may start at once


def _triggers(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION snp_refuse_audit_change();
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION snp_refuse_audit_change();
"""


def create_audit_schema(conninfo: str) -> None:
    """Create audit's tables and their append-only triggers (idempotent, safe to race)."""
    with psycopg.connect(conninfo) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(AUDIT_SCHEMA)
        for table in APPEND_ONLY:
            conn.execute(_triggers(table))
