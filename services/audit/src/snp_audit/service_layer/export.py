"""Exports: a tenant's entries up to its latest checkpoint, as NDJSON lines an auditor can check
offline with nothing but the published public key (see docs/audit.md for the format).

Lines, in order: a header (tenant, first position, the hashes that stand for the entries before
it, the checkpoint's size); the entries, each followed by any checkpoint signed at that size;
and, when the auditor names an older tree size they hold a checkpoint of, the consistency proof
from it to the exported checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import psycopg

from snp_audit.adapters import checkpoint_store, log_store
from snp_audit.domain.checkpoints import b64
from snp_audit.domain.entries import GENESIS, entry_hash
from snp_audit.domain.merkle import consistency_path

FORMAT = "snp-audit-export/1"


class NothingToExport(LookupError):
    """The tenant has no signed checkpoint yet (or the range asked for is past it)."""


def _line(document: dict[str, Any]) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"


def export_lines(
    conn: psycopg.Connection[Any],
    tenant: str,
    public_key: str,
    start: int = 0,
    since: int | None = None,
) -> Iterator[str]:
    """The export of `tenant` from position `start`; raises NothingToExport before any line."""
    latest = checkpoint_store.latest(conn, tenant)
    if latest is None or not 0 <= start < latest.tree_size:
        raise NothingToExport(f"no signed checkpoint of {tenant!r} covers position {start}")
    if since is not None and not 0 < since <= latest.tree_size:
        raise NothingToExport(f"no tree of size {since} to prove consistency from")
    older = None if since is None else checkpoint_store.at_size(conn, tenant, since)
    if since is not None and older is None:
        raise NothingToExport(f"no checkpoint of {tenant!r} at size {since}")
    return _lines(conn, tenant, public_key, start, latest.tree_size, older)


def _lines(
    conn: psycopg.Connection[Any],
    tenant: str,
    public_key: str,
    start: int,
    end: int,
    older: Any,
) -> Iterator[str]:
    tree = log_store.StoredTree(conn, tenant)
    prev = GENESIS
    if start > 0:
        previous = next(log_store.entries(conn, tenant, start - 1, start), None)
        prev = entry_hash(previous[1]) if previous else prev
    yield _line(
        {
            "kind": "header",
            "format": FORMAT,
            "tenant": tenant,
            "start": start,
            "prev": prev,
            "prefix": [b64(h) for h in tree.frontier(start).hashes],
            "tree_size": end,
            "public_key": public_key,
        }
    )
    checkpoints = checkpoint_store.between(conn, tenant, start, end)
    for position, data in log_store.entries(conn, tenant, start, end):
        yield _line({"kind": "entry", "index": position, "entry": data.decode()})
        while checkpoints and checkpoints[0].tree_size == position + 1:
            yield _line({"kind": "checkpoint", **checkpoints.pop(0).to_json()})
    if older is not None:
        path = consistency_path(older.tree_size, end, tree.subtree)
        yield _line(
            {
                "kind": "consistency",
                "first": older.to_json(),
                "second_size": end,
                "path": [b64(h) for h in path],
            }
        )
