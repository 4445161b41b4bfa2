"""Sessions in the portal's own PostgreSQL database (its only table).

The access and refresh tokens, a sign-in waiting for its code, and the secrets a page shows once
(a new authenticator's key, recovery codes and their download) are sealed (AES-256-GCM under
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
ALTER TABLE portal_sessions ADD COLUMN IF NOT EXISTS held_sealed bytea;
ALTER TABLE portal_sessions ADD COLUMN IF NOT EXISTS held_until timestamptz;
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

    # What a page shows once, held between a post and the page it redirects to: a JSON object
    # of named values, sealed, for a few minutes.

    def hold(self, session_id: str, what: str, value: Any, now: datetime, until: datetime) -> None:
        with self._pool.connection() as conn, conn.transaction():
            held = self._held(conn, session_id, now)
            held[what] = value
            self._save_held(conn, session_id, held, until)

    def held(self, session_id: str, what: str, now: datetime, take: bool = False) -> Any:
        """The value held under `what`, or None; `take` removes it (it is then gone)."""
        with self._pool.connection() as conn, conn.transaction():
            held = self._held(conn, session_id, now)
            if what not in held:
                return None
            value = held.pop(what) if take else held[what]
            if take:
                self._save_held(conn, session_id, held, None)
            return value

    def _held(self, conn: Any, session_id: str, now: datetime) -> dict[str, Any]:
        row = conn.execute(
            "SELECT held_sealed FROM portal_sessions "
            "WHERE session_id = %s AND held_until > %s FOR UPDATE",
            (session_id, now),
        ).fetchone()
        if row is None or row[0] is None:
            return {}
        try:
            found: dict[str, Any] = json.loads(
                self._keys.open(bytes(row[0]), _context(session_id, "held"))
            )
        except (DecryptionFailed, KeyUnavailable):
            return {}
        return found

    def _save_held(
        self, conn: Any, session_id: str, held: dict[str, Any], until: datetime | None
    ) -> None:
        sealed = (
            self._keys.seal(json.dumps(held).encode(), _context(session_id, "held"))
            if held
            else None
        )
        conn.execute(
            "UPDATE portal_sessions SET held_sealed = %s,"
            " held_until = CASE WHEN %s::bytea IS NULL THEN NULL"
            " ELSE coalesce(%s, held_until) END WHERE session_id = %s",
            (sealed, sealed, until, session_id),
        )
