"""Identity's own tables beside the event store.

`accounts` is a projection of the account streams (rebuildable). The others hold what must not
be in events: secrets, and the per-account data keys whose deletion is crypto-shredding.
"""

from __future__ import annotations

import psycopg

from snp_identity.adapters.disclosures import DISCLOSURES_SCHEMA

IDENTITY_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    account_id   text PRIMARY KEY,
    tenant       text NOT NULL,
    kind         text NOT NULL,
    status       text NOT NULL,
    email_index  text,            -- keyed hash of the normalised email, never the email
    totp         text NOT NULL DEFAULT 'none',
    roles        text[] NOT NULL DEFAULT '{}',
    version      bigint NOT NULL,
    contact      bytea            -- latest EncryptedContact (ciphertext), for quick look-ups
);
CREATE UNIQUE INDEX IF NOT EXISTS accounts_email ON accounts (tenant, email_index)
    WHERE status <> 'erased';

-- The account's data key, wrapped by the key-encryption key. Erasure deletes the row.
CREATE TABLE IF NOT EXISTS account_keys (
    account_id  text PRIMARY KEY,
    wrapped_key bytea NOT NULL
);

CREATE TABLE IF NOT EXISTS credentials (
    account_id      text PRIMARY KEY,
    password_hash   text NOT NULL,
    totp_secret     bytea,          -- encrypted under the account's data key
    totp_last_step  bigint,         -- a code's time step can be used once
    recovery_hashes text[] NOT NULL DEFAULT '{}'
);
-- A replacement authenticator's secret (encrypted like totp_secret) until its first code.
ALTER TABLE credentials ADD COLUMN IF NOT EXISTS pending_totp_secret bytea;

-- Password-reset links: only the token's hash; each works once, until it expires.
CREATE TABLE IF NOT EXISTS password_resets (
    token_hash  text PRIMARY KEY,
    reset_id    text NOT NULL UNIQUE,
    account_id  text NOT NULL,
    tenant      text NOT NULL,
    expires_at  double precision NOT NULL,
    used_at     double precision
);
CREATE INDEX IF NOT EXISTS password_resets_account ON password_resets (account_id);
-- A staff account's set-up link (its first password) is kept here too, told apart.
ALTER TABLE password_resets ADD COLUMN IF NOT EXISTS purpose text NOT NULL DEFAULT 'reset';

-- Authenticator resets asked by one administrator, waiting for a second one: a projection of
-- the account streams' AuthenticatorReset* events (the reason stays sealed as in the event).
CREATE TABLE IF NOT EXISTS authenticator_resets (
    request_id   text PRIMARY KEY,
    tenant       text NOT NULL,
    account_id   text NOT NULL,
    requested_by text NOT NULL,
    reason       bytea NOT NULL,
    requested_at double precision NOT NULL,
    expires_at   double precision NOT NULL,
    outcome      text NOT NULL DEFAULT 'waiting',  -- waiting | approved | rejected | expired
    decided_by   text
);
CREATE INDEX IF NOT EXISTS authenticator_resets_waiting ON authenticator_resets (tenant)
    WHERE outcome = 'waiting';

-- A partner account's agency (null for every other kind).
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS agency_id text;

-- A member's choice to share their contact details with the Neighbourhood Watch association
-- (the last AssociationSharingChanged on their stream); the directory's association_export
-- releases only these accounts' details.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS shares_with_association boolean NOT NULL
    DEFAULT false;

-- Partner agencies of each force: a projection of the `agency:<id>` streams, kept in the
-- transaction that appends their events. One active agency per name in a force.
CREATE TABLE IF NOT EXISTS agencies (
    agency_id     text PRIMARY KEY,
    tenant        text NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL,
    status        text NOT NULL,   -- active | retired
    registered_at timestamptz NOT NULL,
    version       bigint NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS agencies_active_name ON agencies (tenant, lower(name))
    WHERE status = 'active';

CREATE TABLE IF NOT EXISTS signing_keys (
    kid         text PRIMARY KEY,
    private_key bytea NOT NULL,     -- wrapped by the key-encryption key
    created_at  double precision NOT NULL,
    retired_at  double precision
);

CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash  text PRIMARY KEY,
    family_id   text NOT NULL,
    account_id  text NOT NULL,
    tenant      text NOT NULL,
    amr         text[] NOT NULL,
    expires_at  double precision NOT NULL,
    used_at     double precision,
    revoked     boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_account ON refresh_tokens (account_id);

-- Failed sign-ins per account and per client address, for growing delays and lockout; also
-- password-reset requests per email and per address, counted in a window (keys `reset:...`).
CREATE TABLE IF NOT EXISTS sign_in_failures (
    throttle_key text PRIMARY KEY,
    failures     integer NOT NULL,
    last_failure double precision NOT NULL,
    locked_until double precision NOT NULL DEFAULT 0
);

-- Subject access exports (a copy of all my data): each request, the parts the services gave
-- so far (sealed under the account's data key) and, once complete, the sealed ZIP. Erasing
-- the account destroys that key, and with it every copy here.
CREATE TABLE IF NOT EXISTS subject_exports (
    export_id      text PRIMARY KEY,
    tenant         text NOT NULL,
    account_id     text NOT NULL,
    services       text[] NOT NULL,
    status         text NOT NULL,  -- assembling | ready | expired
    requested_at   timestamptz NOT NULL,
    completed_at   timestamptz,
    expires_at     timestamptz,
    last_error     text NOT NULL DEFAULT '',
    zip_salt       bytea,
    sealed_zip     bytea
);
CREATE INDEX IF NOT EXISTS subject_exports_assembling ON subject_exports (requested_at)
    WHERE status = 'assembling';
CREATE TABLE IF NOT EXISTS subject_export_parts (
    export_id   text NOT NULL REFERENCES subject_exports ON DELETE CASCADE,
    service     text NOT NULL,
    sealed_part bytea NOT NULL,
    PRIMARY KEY (export_id, service)
);
"""

_LOCK = 0x534E5049  # serialises concurrent starts of several identity processes


def create_identity_schema(conninfo: str) -> None:
    """Create identity's tables if missing (idempotent)."""
    with psycopg.connect(conninfo) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute(IDENTITY_SCHEMA)
        conn.execute(DISCLOSURES_SCHEMA)
