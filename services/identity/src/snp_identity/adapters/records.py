"""SQL for identity's own tables; every function takes the caller's connection so a use case
can change them in the same transaction as it appends its events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class AccountRow:
    account_id: str
    tenant: str
    kind: str
    status: str
    email_index: str | None
    totp: str
    roles: list[str]
    version: int
    contact: bytes | None = None
    agency_id: str | None = None  # a partner's agency
    shares_with_association: bool = False


@dataclass(frozen=True)
class CredentialRow:
    account_id: str
    password_hash: str
    totp_secret: bytes | None
    totp_last_step: int | None
    recovery_hashes: list[str]
    pending_totp_secret: bytes | None = None


Conn = psycopg.Connection[Any]


def find_account(conn: Conn, tenant: str, account_id: str) -> AccountRow | None:
    with conn.cursor(row_factory=class_row(AccountRow)) as cur:
        return cur.execute(
            "SELECT * FROM accounts WHERE tenant = %s AND account_id = %s", (tenant, account_id)
        ).fetchone()


def shares_with_association(conn: Conn, tenant: str, account_id: str) -> bool:
    """Whether the tenant's active member account agreed to share its contact details with
    the Neighbourhood Watch association."""
    row = conn.execute(
        "SELECT 1 FROM accounts WHERE tenant = %s AND account_id = %s AND kind = 'member'"
        " AND status = 'active' AND shares_with_association",
        (tenant, account_id),
    ).fetchone()
    return row is not None


def find_by_email(conn: Conn, tenant: str, email_index: str) -> AccountRow | None:
    with conn.cursor(row_factory=class_row(AccountRow)) as cur:
        return cur.execute(
            "SELECT * FROM accounts WHERE tenant = %s AND email_index = %s AND status <> 'erased'",
            (tenant, email_index),
        ).fetchone()


def save_account(conn: Conn, row: AccountRow) -> None:
    conn.execute(
        "INSERT INTO accounts (account_id, tenant, kind, status, email_index, totp, roles,"
        " version, agency_id, shares_with_association)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status,"
        " email_index = EXCLUDED.email_index,"
        " totp = EXCLUDED.totp, roles = EXCLUDED.roles, version = EXCLUDED.version,"
        " shares_with_association = EXCLUDED.shares_with_association",
        (
            row.account_id,
            row.tenant,
            row.kind,
            row.status,
            row.email_index,
            row.totp,
            row.roles,
            row.version,
            row.agency_id,
            row.shares_with_association,
        ),
    )


def save_contact(conn: Conn, account_id: str, encrypted_contact: bytes | None) -> None:
    conn.execute(
        "UPDATE accounts SET contact = %s WHERE account_id = %s", (encrypted_contact, account_id)
    )


def save_data_key(conn: Conn, account_id: str, wrapped_key: bytes) -> None:
    conn.execute("INSERT INTO account_keys VALUES (%s, %s)", (account_id, wrapped_key))


def wrapped_data_key(conn: Conn, account_id: str) -> bytes | None:
    row = conn.execute(
        "SELECT wrapped_key FROM account_keys WHERE account_id = %s", (account_id,)
    ).fetchone()
    return bytes(row[0]) if row else None


def destroy_account_secrets(conn: Conn, account_id: str) -> None:
    """Crypto-shredding: without its data key the account's ciphertexts are noise forever."""
    conn.execute("DELETE FROM account_keys WHERE account_id = %s", (account_id,))
    conn.execute("UPDATE accounts SET contact = NULL WHERE account_id = %s", (account_id,))
    conn.execute("DELETE FROM credentials WHERE account_id = %s", (account_id,))
    conn.execute("DELETE FROM password_resets WHERE account_id = %s", (account_id,))
    conn.execute("UPDATE refresh_tokens SET revoked = true WHERE account_id = %s", (account_id,))


def credentials(conn: Conn, account_id: str) -> CredentialRow | None:
    with conn.cursor(row_factory=class_row(CredentialRow)) as cur:
        return cur.execute(
            "SELECT * FROM credentials WHERE account_id = %s FOR UPDATE", (account_id,)
        ).fetchone()


def save_password(conn: Conn, account_id: str, password_hash: str) -> None:
    conn.execute(
        "INSERT INTO credentials (account_id, password_hash) VALUES (%s, %s)"
        " ON CONFLICT (account_id) DO UPDATE SET password_hash = EXCLUDED.password_hash",
        (account_id, password_hash),
    )


def save_totp(
    conn: Conn,
    account_id: str,
    secret: bytes | None,
    last_step: int | None,
    recovery_hashes: list[str] | None = None,
) -> None:
    conn.execute(
        "UPDATE credentials SET totp_secret = %s, totp_last_step = %s,"
        " recovery_hashes = coalesce(%s, recovery_hashes) WHERE account_id = %s",
        (secret, last_step, recovery_hashes, account_id),
    )


def save_pending_totp(conn: Conn, account_id: str, secret: bytes | None) -> None:
    conn.execute(
        "UPDATE credentials SET pending_totp_secret = %s WHERE account_id = %s",
        (secret, account_id),
    )


def forget_second_factor(conn: Conn, account_id: str) -> None:
    """No authenticator and no recovery code left: the account enrols again."""
    conn.execute(
        "UPDATE credentials SET totp_secret = NULL, totp_last_step = NULL,"
        " pending_totp_secret = NULL, recovery_hashes = '{}' WHERE account_id = %s",
        (account_id,),
    )
