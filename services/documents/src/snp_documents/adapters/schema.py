"""Documents' own tables beside the event store.

`documents`, `mailing_lists` and `mailing_list_members` are read models kept in the same
transaction as the events that change them. `document_segments` holds the contents, only ever as
ciphertext, and `group_keys` each group's data key, only ever wrapped by a KEK: neither belongs in
events. `groups` and `group_roles` are the projection of membership's events (who holds which
role in which group), which decides the subject's group roles in every policy question.
"""

from __future__ import annotations

import psycopg

from snp_platform.group_roles import GROUP_ROLES_SCHEMA

DOCUMENTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS group_keys (
    group_id    text PRIMARY KEY,
    tenant      text NOT NULL,
    wrapped_key bytea NOT NULL,
    kek_id      text NOT NULL
);
CREATE INDEX IF NOT EXISTS group_keys_by_kek ON group_keys (kek_id);

CREATE TABLE IF NOT EXISTS documents (
    document_id   text PRIMARY KEY,
    seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- list order and page cursor
    tenant        text NOT NULL,
    group_id      text NOT NULL,
    audience      text NOT NULL CHECK (audience IN ('officers', 'members')),
    title         bytea NOT NULL,   -- sealed under the group key
    file_name     bytea NOT NULL,   -- sealed under the group key
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
    sha256        text NOT NULL,
    salt          bytea NOT NULL,   -- derives this document's content key from the group key
    segment_bytes integer NOT NULL CHECK (segment_bytes > 0),
    segments      integer NOT NULL CHECK (segments >= 0),
    stored_by     text NOT NULL,
    stored_at     timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz
);
CREATE INDEX IF NOT EXISTS documents_by_group ON documents (group_id, seq) WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS document_segments (
    document_id text    NOT NULL REFERENCES documents ON DELETE CASCADE,
    index       integer NOT NULL CHECK (index >= 0),
    ciphertext  bytea   NOT NULL,
    PRIMARY KEY (document_id, index)
);
-- Ciphertext does not compress: store it out of line without trying.
ALTER TABLE document_segments ALTER COLUMN ciphertext SET STORAGE EXTERNAL;

CREATE TABLE IF NOT EXISTS mailing_lists (
    mailing_list_id text PRIMARY KEY,
    tenant          text NOT NULL,
    group_id        text NOT NULL,
    name            bytea NOT NULL,  -- sealed under the group key
    created_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz
);
CREATE INDEX IF NOT EXISTS mailing_lists_by_group ON mailing_lists (group_id);

CREATE TABLE IF NOT EXISTS mailing_list_members (
    mailing_list_id text NOT NULL REFERENCES mailing_lists ON DELETE CASCADE,
    account_id      text NOT NULL,
    PRIMARY KEY (mailing_list_id, account_id)
);
CREATE INDEX IF NOT EXISTS mailing_list_members_by_account ON mailing_list_members (account_id);
"""


_LOCK = 0x534E5044  # serialises concurrent starts of several documents processes


def create_documents_schema(conninfo: str) -> None:
    """Create documents' tables if missing (idempotent)."""
    with psycopg.connect(conninfo) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute(DOCUMENTS_SCHEMA)
        conn.execute(GROUP_ROLES_SCHEMA)  # the projection of membership's events
