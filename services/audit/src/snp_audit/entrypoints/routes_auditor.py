"""What auditors read: entries by filter, the export, checkpoints and proofs — always of the
log of their own tenant (the token's), and only when the policy allows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from snp_audit.adapters import checkpoint_store, log_store, search
from snp_audit.domain.checkpoints import Checkpoint, b64
from snp_audit.domain.merkle import consistency_path, inclusion_path
from snp_audit.entrypoints import dependencies as deps
from snp_audit.service_layer.export import NothingToExport, export_lines
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/audit", tags=["auditors"])
READ, EXPORT = "audit.events.read", "audit.events.export"
Text = Annotated[str | None, Query(min_length=1, max_length=200)]


def _not_found(detail: str) -> Problem:
    return Problem(404, detail=detail, type_uri=PROBLEM_TYPE_BASE + "not-found")


@router.get("/events")
def list_events(
    request: Request,
    who: CurrentPrincipal,
    actor: Text = None,
    subject: Text = None,
    type: Text = None,
    service: Text = None,
    source: Annotated[str | None, Query(pattern="^(event|decision)$")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    allowed: bool | None = None,
    cursor: Annotated[int, Query(ge=-1)] = -1,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Entries in log order; pass `next_cursor` back as `cursor` for the next page."""
    ctx = deps.context(request)
    tenant = deps.allow_log(ctx, who, READ)
    filters = search.Filters(actor, subject, type, service, source, since, until, allowed)
    with ctx.pool.connection() as conn:
        found = search.search(conn, tenant, filters, cursor, limit)
    return {
        "entries": [{"index": i, "entry": json.loads(data)} for i, data in found],
        "next_cursor": found[-1][0] if len(found) == limit else None,
    }


@router.get("/export")
def export(
    request: Request,
    who: CurrentPrincipal,
    start: Annotated[int, Query(alias="from", ge=0)] = 0,
    since: Annotated[int | None, Query(ge=1)] = None,
) -> StreamingResponse:
    """NDJSON: header, entries with their checkpoints, and (with `since`) a consistency proof."""
    ctx = deps.context(request)
    tenant = deps.allow_log(ctx, who, EXPORT)
    held = ExitStack()  # the connection stays open while the response streams
    conn = held.enter_context(ctx.pool.connection())
    try:
        lines = export_lines(conn, tenant, ctx.signer.public_key_text(), start, since)
    except NothingToExport as error:
        held.close()
        raise _not_found(str(error)) from error

    def stream() -> Iterator[str]:
        with held:
            yield from lines

    filename = f"audit-{tenant}-from-{start}.ndjson"
    return StreamingResponse(
        stream(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _latest(request: Request, who: CurrentPrincipal, action: str) -> tuple[str, Checkpoint]:
    ctx = deps.context(request)
    tenant = deps.allow_log(ctx, who, action)
    with ctx.pool.connection() as conn:
        latest = checkpoint_store.latest(conn, tenant)
    if latest is None:
        raise _not_found("No checkpoint has been signed for this tenant's log yet.")
    return tenant, latest


@router.get("/checkpoints/latest")
def latest_checkpoint(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
    _tenant, latest = _latest(request, who, READ)
    return latest.to_json()


@router.get("/proofs/inclusion")
def inclusion(
    request: Request,
    who: CurrentPrincipal,
    index: Annotated[int, Query(ge=0)],
    tree_size: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    """The entry at `index` and its audit path to a signed checkpoint (the latest by default)."""
    tenant, latest = _latest(request, who, READ)
    ctx = deps.context(request)
    with ctx.pool.connection() as conn:
        checkpoint = (
            latest if tree_size is None else checkpoint_store.at_size(conn, tenant, tree_size)
        )
        if checkpoint is None or index >= checkpoint.tree_size:
            raise _not_found("No signed checkpoint of that size covers that entry.")
        entry = next(log_store.entries(conn, tenant, index, index + 1))[1]
        tree = log_store.StoredTree(conn, tenant)
        path = inclusion_path(index, checkpoint.tree_size, tree.subtree)
    return {
        "index": index,
        "entry": entry.decode(),
        "path": [b64(h) for h in path],
        "checkpoint": checkpoint.to_json(),
    }


@router.get("/proofs/consistency")
def consistency(
    request: Request,
    who: CurrentPrincipal,
    first: Annotated[int, Query(ge=1)],
    second: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    """The proof that the checkpoint of size `second` (the latest by default) extends `first`."""
    tenant, latest = _latest(request, who, READ)
    ctx = deps.context(request)
    with ctx.pool.connection() as conn:
        older = checkpoint_store.at_size(conn, tenant, first)
        newer = latest if second is None else checkpoint_store.at_size(conn, tenant, second)
        if older is None or newer is None or older.tree_size > newer.tree_size:
            raise _not_found("No pair of signed checkpoints of those sizes.")
        tree = log_store.StoredTree(conn, tenant)
        path = consistency_path(older.tree_size, newer.tree_size, tree.subtree)
    return {
        "first": older.to_json(),
        "second": newer.to_json(),
        "path": [b64(h) for h in path],
    }
