"""Appending to a tenant's log and reading it back, in PostgreSQL.

Appends hold a per-tenant advisory lock for the rest of their transaction, so each tenant's
entries get gapless positions and each entry is chained to the one committed before it,
whichever process (consumer or api) appends. Every entry row carries the head after it (its
hash and the Merkle frontier): the next append reads the last row, and nothing is ever updated,
so a batch of appends in one transaction stays as cheap as its first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg

from snp_audit.domain.entries import GENESIS, Record, encode_entry, entry_hash
from snp_audit.domain.merkle import Frontier, leaf_hash, node_hash, split_point

Conn = psycopg.Connection[Any]


def _lock(conn: Conn, tenant: str) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 41))", (tenant,))


def append(conn: Conn, record: Record, now: datetime | None = None) -> int | None:
    """Append `record` to its tenant's log in the caller's transaction; its position, or None
    when an entry with the same source and ref is already logged (a retry)."""
    _lock(conn, record.tenant)
    size, prev, frontier = head(conn, record.tenant)
    data = encode_entry(record, size, prev, now or datetime.now(UTC))
    leaf = leaf_hash(data)
    completed = frontier.append(leaf)
    inserted = conn.execute(
        "INSERT INTO audit_entries (tenant, idx, entry, leaf_hash, source, service, event_type,"
        " ref, actor, subject, occurred_at, entry_hash, frontier)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (source, ref) DO NOTHING",
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
            entry_hash(data),
            frontier.pack(),
        ),
    ).rowcount
    if not inserted:
        return None
    if size == 0:
        conn.execute(
            "INSERT INTO audit_tenants (tenant) VALUES (%s) ON CONFLICT DO NOTHING",
            (record.tenant,),
        )
    if completed:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO audit_nodes (tenant, level, idx, hash) VALUES (%s, %s, %s, %s)",
                [(record.tenant, level, index, node) for level, index, node in completed],
            )
    return size


def head(conn: Conn, tenant: str) -> tuple[int, str, Frontier]:
    """(size, hash of the last entry, frontier) of the tenant's log; empty if it has none."""
    row = conn.execute(
        "SELECT idx, entry_hash, frontier FROM audit_entries WHERE tenant = %s"
        " ORDER BY idx DESC LIMIT 1",
        (tenant,),
    ).fetchone()
    if row is None:
        return 0, GENESIS, Frontier()
    size = int(row[0]) + 1
    return size, str(row[1]), Frontier.unpack(size, bytes(row[2]))


def tenants(conn: Conn) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT tenant FROM audit_tenants ORDER BY tenant")]


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


def one_snapshot(conn: Conn) -> None:
    """Make the caller's transaction read one snapshot (its first statement)."""
    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
