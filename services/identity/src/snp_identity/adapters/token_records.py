"""SQL for refresh-token families, sign-in throttling and signing keys."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg.rows import class_row

from snp_identity.adapters.records import Conn


@dataclass(frozen=True)
class RefreshRow:
    token_hash: str
    family_id: str
    account_id: str
    tenant: str
    amr: list[str]
    expires_at: float
    used_at: float | None
    revoked: bool


def save_refresh(conn: Conn, row: RefreshRow) -> None:
    conn.execute(
        "INSERT INTO refresh_tokens VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            row.token_hash,
            row.family_id,
            row.account_id,
            row.tenant,
            row.amr,
            row.expires_at,
            row.used_at,
            row.revoked,
        ),
    )


def take_refresh(conn: Conn, token_hash: str) -> RefreshRow | None:
    """The token's row, locked: two refreshes with one token cannot both succeed."""
    with conn.cursor(row_factory=class_row(RefreshRow)) as cur:
        return cur.execute(
            "SELECT * FROM refresh_tokens WHERE token_hash = %s FOR UPDATE", (token_hash,)
        ).fetchone()


def mark_used(conn: Conn, token_hash: str, now: float) -> None:
    conn.execute("UPDATE refresh_tokens SET used_at = %s WHERE token_hash = %s", (now, token_hash))


def revoke_family(conn: Conn, family_id: str) -> None:
    conn.execute("UPDATE refresh_tokens SET revoked = true WHERE family_id = %s", (family_id,))


def failures(conn: Conn, key: str) -> tuple[int, float]:
    """(failures so far, locked until) for a throttle key."""
    row = conn.execute(
        "SELECT failures, locked_until FROM sign_in_failures WHERE throttle_key = %s", (key,)
    ).fetchone()
    return (int(row[0]), float(row[1])) if row else (0, 0.0)


def record_failure(conn: Conn, key: str, now: float, locked_until: float) -> int:
    row = conn.execute(
        "INSERT INTO sign_in_failures VALUES (%s, 1, %s, %s) ON CONFLICT (throttle_key) DO UPDATE"
        " SET failures = sign_in_failures.failures + 1, last_failure = EXCLUDED.last_failure,"
        " locked_until = greatest(sign_in_failures.locked_until, EXCLUDED.locked_until)"
        " RETURNING failures",
        (key, now, locked_until),
    ).fetchone()
    return int(row[0]) if row else 1


def lock(conn: Conn, key: str, until: float) -> None:
    conn.execute(
        "UPDATE sign_in_failures SET locked_until = %s WHERE throttle_key = %s", (until, key)
    )


def count_request(conn: Conn, key: str, now: float, window: float) -> int:
    """Count one request for `key` in a window that restarts once `window` seconds have passed
    since its last request; the count so far, this one included."""
    row = conn.execute(
        "INSERT INTO sign_in_failures VALUES (%s, 1, %s, 0) ON CONFLICT (throttle_key) DO UPDATE"
        " SET failures = CASE WHEN sign_in_failures.last_failure < %s THEN 1"
        " ELSE sign_in_failures.failures + 1 END, last_failure = EXCLUDED.last_failure"
        " RETURNING failures",
        (key, now, now - window),
    ).fetchone()
    return int(row[0]) if row else 1


def account_families(conn: Conn, account_id: str, now: float) -> list[str]:
    """The account's refresh families that still work (not revoked, not expired)."""
    rows = conn.execute(
        "SELECT DISTINCT family_id FROM refresh_tokens WHERE account_id = %s AND NOT revoked"
        " AND expires_at > %s",
        (account_id, now),
    ).fetchall()
    return sorted(str(r[0]) for r in rows)


def clear_failures(conn: Conn, key: str) -> None:
    conn.execute("DELETE FROM sign_in_failures WHERE throttle_key = %s", (key,))


def signing_keys(conn: Conn) -> list[tuple[str, bytes, float, float | None]]:
    rows = conn.execute(
        "SELECT kid, private_key, created_at, retired_at FROM signing_keys ORDER BY created_at"
    ).fetchall()
    return [(r[0], bytes(r[1]), float(r[2]), r[3]) for r in rows]


def save_signing_key(
    conn: Conn, kid: str, wrapped: bytes, created_at: float, retired_at: float | None
) -> None:
    conn.execute(
        "INSERT INTO signing_keys VALUES (%s, %s, %s, %s) ON CONFLICT (kid)"
        " DO UPDATE SET retired_at = EXCLUDED.retired_at",
        (kid, wrapped, created_at, retired_at),
    )


_KEYS_LOCK = 0x4B455953


def lock_signing_keys(conn: Conn) -> None:
    """Until the caller's transaction ends, other processes wait here (the first key is made
    once, the others then load it)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_KEYS_LOCK,))
