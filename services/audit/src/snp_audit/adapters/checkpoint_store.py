"""Signed checkpoints in PostgreSQL."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_audit.domain.checkpoints import Checkpoint

_COLUMNS = "tenant, tree_size, root_hash, signed_at, key_id, signature"


def _checkpoint(row: tuple[Any, ...]) -> Checkpoint:
    return Checkpoint(str(row[0]), int(row[1]), bytes(row[2]), row[3], str(row[4]), bytes(row[5]))


def save(conn: psycopg.Connection[Any], checkpoint: Checkpoint) -> None:
    conn.execute(
        f"INSERT INTO audit_checkpoints ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
        " ON CONFLICT DO NOTHING",
        (
            checkpoint.tenant,
            checkpoint.tree_size,
            checkpoint.root_hash,
            checkpoint.signed_at,
            checkpoint.key_id,
            checkpoint.signature,
        ),
    )


def latest(conn: psycopg.Connection[Any], tenant: str) -> Checkpoint | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM audit_checkpoints WHERE tenant = %s"  # noqa: S608
        " ORDER BY tree_size DESC LIMIT 1",
        (tenant,),
    ).fetchone()
    return None if row is None else _checkpoint(row)


def at_size(conn: psycopg.Connection[Any], tenant: str, tree_size: int) -> Checkpoint | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM audit_checkpoints WHERE tenant = %s AND tree_size = %s",  # noqa: S608
        (tenant, tree_size),
    ).fetchone()
    return None if row is None else _checkpoint(row)


def between(conn: psycopg.Connection[Any], tenant: str, above: int, up_to: int) -> list[Checkpoint]:
    """Checkpoints with `above < tree_size <= up_to`, smallest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM audit_checkpoints WHERE tenant = %s"  # noqa: S608
        " AND tree_size > %s AND tree_size <= %s ORDER BY tree_size",
        (tenant, above, up_to),
    ).fetchall()
    return [_checkpoint(r) for r in rows]


def newest(
    conn: psycopg.Connection[Any], tenant: str, below: int | None, limit: int
) -> list[Checkpoint]:
    """Up to `limit` checkpoints with `tree_size < below` (all when None), largest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM audit_checkpoints WHERE tenant = %s"  # noqa: S608
        " AND tree_size < %s ORDER BY tree_size DESC LIMIT %s",
        (tenant, 2**62 if below is None else below, limit),
    ).fetchall()
    return [_checkpoint(r) for r in rows]
