"""The tables every service's database holds for the platform's plumbing.

`events` is the service's event store and its outbox. Positions come from an identity column
that is only advanced while the append lock is held (see store.py), so positions are handed out
in commit order and a reader tailing by position never passes an event that commits later.
"""

from __future__ import annotations

import psycopg

PLATFORM_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant         text        NOT NULL CHECK (tenant <> ''),
    stream_id      text        NOT NULL CHECK (stream_id <> ''),
    stream_version bigint      NOT NULL CHECK (stream_version > 0),
    event_type     text        NOT NULL CHECK (event_type <> ''),
    event_id       uuid        NOT NULL UNIQUE,
    schema_version integer     NOT NULL CHECK (schema_version > 0),
    occurred_at    timestamptz NOT NULL,
    payload        bytea       NOT NULL,
    metadata       jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, stream_version)
);

-- Nothing that happened is ever rewritten or lost: the store refuses updates and deletes.
CREATE OR REPLACE FUNCTION snp_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event store is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

DROP TRIGGER IF EXISTS events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION snp_refuse_event_change();
DROP TRIGGER IF EXISTS events_no_truncate ON events;
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION snp_refuse_event_change();

-- How far the outbox relay has had events confirmed by the broker.
CREATE TABLE IF NOT EXISTS relay_checkpoints (
    relay    text   PRIMARY KEY,
    position bigint NOT NULL CHECK (position >= 0)
);

-- Events a consumer has applied, written in the same transaction as their effects.
CREATE TABLE IF NOT EXISTS processed_events (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Accounts whose access tokens issued before `not_before` are no longer honoured (disabled,
-- erased, role revoked): fed from identity's events, read by every API's token check.
CREATE TABLE IF NOT EXISTS token_revocations (
    account_id text        PRIMARY KEY,
    tenant     text        NOT NULL,
    not_before timestamptz NOT NULL,
    reason     text        NOT NULL
);

-- How far a projection of the service's own store has got.
CREATE TABLE IF NOT EXISTS projection_checkpoints (
    projection text   PRIMARY KEY,
    position   bigint NOT NULL CHECK (position >= 0)
);

-- Rebuilds an operator started (snp_platform.rebuilds): counts and times only.
CREATE TABLE IF NOT EXISTS projection_rebuilds (
    rebuild_id  uuid        PRIMARY KEY,
    projection  text        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('running', 'finished', 'failed')),
    events_read    bigint   NOT NULL DEFAULT 0,
    events_applied bigint   NOT NULL DEFAULT 0,
    events_total   bigint,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    reason      text
);
CREATE INDEX IF NOT EXISTS projection_rebuilds_latest
    ON projection_rebuilds (projection, started_at DESC);
"""

# Serialises concurrent CREATE OR REPLACE / DROP TRIGGER when several processes start at once.
_SCHEMA_LOCK_KEY = 0x534E50  # "SNP"


def create_platform_schema(conninfo: str) -> None:
    """Create the event store and plumbing tables if missing (idempotent, safe to race)."""
    with psycopg.connect(conninfo, autocommit=False) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK_KEY,))
        conn.execute(PLATFORM_SCHEMA)
