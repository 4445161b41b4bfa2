"""Sessions in the portal's own PostgreSQL database (its only table).

The access and refresh tokens, and a sign-in waiting for its code, are sealed (AES-256-GCM under
SNP_PORTAL_SESSION_KEYS) and bound to their session id: a copy of the table alone signs nobody
in, and a sealed value moved to another row does not open. A value that no longer opens (the
key was retired) reads as signed out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from snp_platform.keywrap import ConfiguredKeks, DecryptionFailed, KeyUnavailable
from snp_portal.domain.pending import PendingSignIn
from snp_portal.domain.sessions import Session

SCHEMA = """
CREATE TABLE IF NOT EXISTS portal_sessions (
    session_id        text PRIMARY KEY,
    csrf_token        text NOT NULL,
    created_at        timestamptz NOT NULL,
    last_seen_at      timestamptz NOT NULL,
    access_expires_at timestamptz,
    tenant            text
);
-- Tokens were once stored as they are: dropping them signs those sessions out.
ALTER TABLE portal_sessions DROP COLUMN IF EXISTS access_token;
ALTER TABLE portal_sessions DROP COLUMN IF EXISTS refresh_token;
ALTER TABLE portal_sessions ADD COLUMN IF NOT EXISTS tokens_sealed bytea;
ALTER TABLE portal_sessions ADD COLUMN IF NOT EXISTS pending_sealed bytea;
ALTER TABLE portal_sessions ADD COLUMN IF NOT EXISTS pending_until timestamptz;
CREATE INDEX IF NOT EXISTS portal_sessions_last_seen ON portal_sessions (last_seen_at);
"""

_COLUMNS = "session_id, csrf_token, created_at, last_seen_at, access_expires_at, tenant"


def create_schema(pool: ConnectionPool[Any]) -> None:
    with pool.connection() as conn:
        conn.execute(SCHEMA)


def _context(session_id: str, what: str) -> bytes:
    return f"portal-session:{what}:{session_id}".encode()


class SessionStore:
    def __init__(self, pool: ConnectionPool[Any], keys: ConfiguredKeks) -> None:
        self._pool = pool
        self._keys = keys

    def get(self, session_id: str) -> Session | None:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(
                f"SELECT {_COLUMNS}, tokens_sealed FROM portal_sessions "  # noqa: S608
                "WHERE session_id = %s",
                (session_id,),
            )
            row = cur.fetchone()
        if row is None:
            return None
        sealed = row.pop("tokens_sealed")
        access, refresh = self._open_tokens(session_id, sealed)
        if refresh is None:
            row["access_expires_at"] = None
        return Session(**row, access_token=access, refresh_token=refresh)

    def _open_tokens(self, session_id: str, sealed: bytes | None) -> tuple[str | None, str | None]:
        if sealed is None:
            return None, None
        try:
            opened = json.loads(self._keys.open(bytes(sealed), _context(session_id, "tokens")))
        except (DecryptionFailed, KeyUnavailable):
            return None, None
        return opened["access"], opened["refresh"]

    def put(self, session: Session) -> None:
        sealed = None
        if session.refresh_token is not None:
            tokens = {"access": session.access_token, "refresh": session.refresh_token}
            context = _context(session.session_id, "tokens")
            sealed = self._keys.seal(json.dumps(tokens).encode(), context)
        with self._pool.connection() as conn:
            conn.execute(
                f"INSERT INTO portal_sessions ({_COLUMNS}, tokens_sealed) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (session_id) DO UPDATE SET csrf_token = EXCLUDED.csrf_token, "
                "last_seen_at = EXCLUDED.last_seen_at, "
                "access_expires_at = EXCLUDED.access_expires_at, tenant = EXCLUDED.tenant, "
                "tokens_sealed = EXCLUDED.tokens_sealed",
                (
                    session.session_id,
                    session.csrf_token,
                    session.created_at,
                    session.last_seen_at,
                    session.access_expires_at,
                    session.tenant,
                    sealed,
                ),
            )

    def touch(self, session_id: str, last_seen_at: datetime) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "UPDATE portal_sessions SET last_seen_at = %s WHERE session_id = %s",
                (last_seen_at, session_id),
            )

    def delete(self, session_id: str) -> None:
        with self._pool.connection() as conn:
            conn.execute("DELETE FROM portal_sessions WHERE session_id = %s", (session_id,))

    def delete_idle_since(self, cutoff: datetime) -> int:
        with self._pool.connection() as conn:
            done = conn.execute("DELETE FROM portal_sessions WHERE last_seen_at < %s", (cutoff,))
            return int(done.rowcount)

    # A sign-in waiting for its code, in the session's row (so any replica can finish it).

    def hold_pending(self, session_id: str, pending: PendingSignIn, until: datetime) -> None:
        held = {"tenant": pending.tenant, "email": pending.email, "password": pending.password}
        sealed = self._keys.seal(json.dumps(held).encode(), _context(session_id, "pending"))
        with self._pool.connection() as conn:
            conn.execute(
                "UPDATE portal_sessions SET pending_sealed = %s, pending_until = %s "
                "WHERE session_id = %s",
                (sealed, until, session_id),
            )

    def pending(self, session_id: str, now: datetime) -> PendingSignIn | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT pending_sealed FROM portal_sessions "
                "WHERE session_id = %s AND pending_until > %s",
                (session_id, now),
            ).fetchone()
        if row is None or row[0] is None:
            return None
        try:
            held = json.loads(self._keys.open(bytes(row[0]), _context(session_id, "pending")))
        except (DecryptionFailed, KeyUnavailable):
            return None
        return PendingSignIn(held["tenant"], held["email"], held["password"])

    def drop_pending(self, session_id: str) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                "UPDATE portal_sessions SET pending_sealed = NULL, pending_until = NULL "
                "WHERE session_id = %s AND pending_sealed IS NOT NULL",
                (session_id,),
            )
