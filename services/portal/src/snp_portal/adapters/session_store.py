"""Sessions in the portal's own PostgreSQL database (its only table)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from snp_portal.domain.sessions import Session

SCHEMA = """
CREATE TABLE IF NOT EXISTS portal_sessions (
    session_id        text PRIMARY KEY,
    csrf_token        text NOT NULL,
    created_at        timestamptz NOT NULL,
    last_seen_at      timestamptz NOT NULL,
    access_token      text,
    refresh_token     text,
    access_expires_at timestamptz,
    tenant            text
);
CREATE INDEX IF NOT EXISTS portal_sessions_last_seen ON portal_sessions (last_seen_at);
"""

_COLUMNS = (
    "session_id, csrf_token, created_at, last_seen_at, access_token, refresh_token, "
    "access_expires_at, tenant"
)


def create_schema(pool: ConnectionPool[Any]) -> None:
    with pool.connection() as conn:
        conn.execute(SCHEMA)


class SessionStore:
    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self._pool = pool

    def get(self, session_id: str) -> Session | None:
        with self._pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM portal_sessions WHERE session_id = %s",  # noqa: S608
                (session_id,),
            )
            row = cur.fetchone()
        return None if row is None else Session(**row)

    def put(self, session: Session) -> None:
        with self._pool.connection() as conn:
            conn.execute(
                f"INSERT INTO portal_sessions ({_COLUMNS}) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (session_id) DO UPDATE SET csrf_token = EXCLUDED.csrf_token, "
                "last_seen_at = EXCLUDED.last_seen_at, access_token = EXCLUDED.access_token, "
                "refresh_token = EXCLUDED.refresh_token, "
                "access_expires_at = EXCLUDED.access_expires_at, tenant = EXCLUDED.tenant",
                (
                    session.session_id,
                    session.csrf_token,
                    session.created_at,
                    session.last_seen_at,
                    session.access_token,
                    session.refresh_token,
                    session.access_expires_at,
                    session.tenant,
                ),
            )

    def delete(self, session_id: str) -> None:
        with self._pool.connection() as conn:
            conn.execute("DELETE FROM portal_sessions WHERE session_id = %s", (session_id,))

    def delete_idle_since(self, cutoff: datetime) -> int:
        with self._pool.connection() as conn:
            done = conn.execute("DELETE FROM portal_sessions WHERE last_seen_at < %s", (cutoff,))
            return int(done.rowcount)
