"""SQL for password-reset links and staff set-up links (only each token's hash is kept)."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg.rows import class_row

from snp_identity.adapters.records import Conn


@dataclass(frozen=True)
class ResetRow:
    token_hash: str
    reset_id: str
    account_id: str
    tenant: str
    expires_at: float
    used_at: float | None
    purpose: str = "reset"  # or "set_up": a new staff account's first password


def save_reset(conn: Conn, row: ResetRow) -> None:
    conn.execute(
        "INSERT INTO password_resets"
        " (token_hash, reset_id, account_id, tenant, expires_at, used_at, purpose)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            row.token_hash,
            row.reset_id,
            row.account_id,
            row.tenant,
            row.expires_at,
            row.used_at,
            row.purpose,
        ),
    )


def open_set_up_links(conn: Conn, tenant: str, now: float) -> set[str]:
    """The accounts of the force whose set-up link is still waiting to be used."""
    rows = conn.execute(
        "SELECT account_id FROM password_resets WHERE tenant = %s AND purpose = 'set_up'"
        " AND used_at IS NULL AND expires_at > %s",
        (tenant, now),
    ).fetchall()
    return {r[0] for r in rows}


def take_reset(conn: Conn, token_hash: str) -> ResetRow | None:
    """The link's row, locked: two uses of one link cannot both succeed."""
    with conn.cursor(row_factory=class_row(ResetRow)) as cur:
        return cur.execute(
            "SELECT * FROM password_resets WHERE token_hash = %s FOR UPDATE", (token_hash,)
        ).fetchone()


def spend_resets(conn: Conn, account_id: str, now: float) -> None:
    """Every open link of the account is used up: a new password ends them all."""
    conn.execute(
        "UPDATE password_resets SET used_at = %s WHERE account_id = %s AND used_at IS NULL",
        (now, account_id),
    )


def forget_expired(conn: Conn, now: float) -> None:
    conn.execute("DELETE FROM password_resets WHERE expires_at < %s", (now - 86400,))
