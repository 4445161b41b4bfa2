"""Appending to a tenant's log and reading it back, in PostgreSQL.

Appends lock the tenant's head row, so each tenant's entries get gapless positions and each
entry is chained to the one committed before it, whichever process (consumer or api) appends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg

from snp_audit.domain.entries import GENESIS, Record, encode_entry, entry_hash
from snp_audit.domain.merkle import Frontier, leaf_hash, node_hash, split_point

Conn = psycopg.Connection[Any]


def append(conn: Conn, record: Record, now: datetime | None = None) -> int | None:
    """Append `record` to its tenant's log in the caller's transaction; its position, or None
    when an entry with the same source and ref is already logged (a retry)."""
    conn.execute(
        "INSERT INTO audit_heads (tenant, size, last_hash, frontier) VALUES (%s, 0, %s, '')"
        " ON CONFLICT DO NOTHING",
        (record.tenant, GENESIS),
    )
    head = conn.execute(
        "SELECT size, last_hash, frontier FROM audit_heads WHERE tenant = %s FOR UPDATE",
        (record.tenant,),
    ).fetchone()
    assert head is not None  # inserted above if it was missing
    seen = conn.execute(
        "SELECT 1 FROM audit_entries WHERE source = %s AND ref = %s", (record.source, record.ref)
    ).fetchone()
    if seen:
        return None
    size, prev, packed = int(head[0]), str(head[1]), bytes(head[2])
    data = encode_entry(record, size, prev, now or datetime.now(UTC))
    leaf = leaf_hash(data)
    frontier = Frontier.unpack(size, packed)
    completed = frontier.append(leaf)
    conn.execute(
        "INSERT INTO audit_entries (tenant, idx, entry, leaf_hash, source, service, event_type,"
        " ref, actor, subject, occurred_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            record.tenant,
            size,
            data,
            leaf,
            record.source,
            record.service,
            record.type,
            record.ref,
            record.actor,
            record.subject,
            record.occurred_at,
        ),
    )
    if completed:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO audit_nodes (tenant, level, idx, hash) VALUES (%s, %s, %s, %s)",
                [(record.tenant, level, index, node) for level, index, node in completed],
            )
    conn.execute(
        "UPDATE audit_heads SET size = %s, last_hash = %s, frontier = %s WHERE tenant = %s",
        (frontier.size, entry_hash(data), frontier.pack(), record.tenant),
    )
    return size


def head(conn: Conn, tenant: str) -> tuple[int, str, Frontier]:
    """(size, hash of the last entry, frontier) of the tenant's log; empty if it has none."""
    row = conn.execute(
        "SELECT size, last_hash, frontier FROM audit_heads WHERE tenant = %s", (tenant,)
    ).fetchone()
    if row is None:
        return 0, GENESIS, Frontier()
    return int(row[0]), str(row[1]), Frontier.unpack(int(row[0]), bytes(row[2]))


def tenants(conn: Conn) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT tenant FROM audit_heads ORDER BY tenant")]


def entries(
    conn: Conn, tenant: str, start: int = 0, end: int | None = None, batch: int = 5000
) -> Iterator[tuple[int, bytes]]:
    """(position, bytes) of the tenant's entries from `start` up to `end`, in order, read in
    batches so a million entries never sit in memory at once."""
    position = start
    while end is None or position < end:
        limit = batch if end is None else min(batch, end - position)
        rows = conn.execute(
            "SELECT idx, entry FROM audit_entries WHERE tenant = %s AND idx >= %s"
            " ORDER BY idx LIMIT %s",
            (tenant, position, limit),
        ).fetchall()
        if not rows:
            return
        for idx, data in rows:
            yield int(idx), bytes(data)
        position = int(rows[-1][0]) + 1


class StoredTree:
    """MTH of any aligned range, from the stored leaves and subtree roots (for proofs)."""

    def __init__(self, conn: Conn, tenant: str) -> None:
        self._conn = conn
        self._tenant = tenant

    def subtree(self, start: int, end: int) -> bytes:
        size = end - start
        if size & (size - 1) == 0 and start % size == 0:
            level = size.bit_length() - 1
            if level == 0:
                sql = "SELECT leaf_hash FROM audit_entries WHERE tenant = %s AND idx = %s"
                row = self._conn.execute(sql, (self._tenant, start)).fetchone()
            else:
                sql = "SELECT hash FROM audit_nodes WHERE tenant = %s AND level = %s AND idx = %s"
                row = self._conn.execute(sql, (self._tenant, level, start >> level)).fetchone()
            if row is None:
                raise LookupError(f"no stored subtree [{start}, {end}) of {self._tenant!r}")
            return bytes(row[0])
        k = split_point(size)
        return node_hash(self.subtree(start, start + k), self.subtree(start + k, end))

    def frontier(self, size: int) -> Frontier:
        """The compact range of the first `size` leaves (largest subtree first)."""
        hashes, start = [], 0
        for bit in reversed(range(size.bit_length())):
            if size >> bit & 1:
                hashes.append(self.subtree(start, start + (1 << bit)))
                start += 1 << bit
        return Frontier(size, hashes)
