"""The service checking its own log: the same checks an auditor runs offline, over the database.

A failure sets `snp_audit_tamper_detected{tenant}` to 1 (alert on it) and names the first bad
entry in the log; the gauge returns to 0 only when a later check passes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import structlog
from psycopg_pool import ConnectionPool

from snp_audit.adapters import checkpoint_store, log_store
from snp_audit.domain.checkpoints import Checkpoint
from snp_audit.domain.verification import ChainVerifier, Failure, Tampered
from snp_platform.metrics import counter, gauge

TAMPERED = gauge(
    "snp_audit_tamper_detected",
    "1 while the self-check finds the tenant's log tampered",
    ["tenant"],
)
CHECKS = counter("snp_audit_self_checks_total", "Self-check runs by outcome", ["outcome"])
log = structlog.get_logger(__name__)


def check_tenant(
    pool: ConnectionPool[Any], tenant: str, signature_ok: Callable[[Checkpoint], bool]
) -> Failure | None:
    """Re-read the tenant's whole log: positions, chain, every checkpoint's signature and root,
    and the head the service appends after."""
    with pool.connection() as conn, conn.transaction():
        # One snapshot: appends that commit meanwhile are neither half-seen nor "extra".
        log_store.one_snapshot(conn)
        size, last_hash, frontier = log_store.head(conn, tenant)
        checkpoints = checkpoint_store.between(conn, tenant, 0, 2**62)
        verifier = ChainVerifier(tenant, signature_ok)
        pending = list(checkpoints)
        try:
            for position, data in log_store.entries(conn, tenant):
                if position != verifier.size:
                    raise Tampered(Failure(verifier.size, "is missing from the log"))
                verifier.add(data)
                while pending and pending[0].tree_size == verifier.size:
                    verifier.check_checkpoint(pending.pop(0))
            if pending:
                verifier.check_checkpoint(pending[0])  # reports the removed entries
            if verifier.size != size or verifier.prev != last_hash:
                raise Tampered(Failure(verifier.size, "the log's head does not match its entries"))
            if verifier.frontier.root() != frontier.root():
                raise Tampered(Failure(None, "the log's head holds a different Merkle root"))
        except Tampered as tampered:
            return tampered.failure
    return None


def check_all(
    pool: ConnectionPool[Any],
    signature_ok: Callable[[Checkpoint], bool],
    results: dict[str, Failure | None] | None = None,
) -> dict[str, Failure | None]:
    """Check every tenant; `results` (e.g. what the health route reports) is updated."""
    with pool.connection() as conn:
        tenants = log_store.tenants(conn)
    found = {tenant: check_tenant(pool, tenant, signature_ok) for tenant in tenants}
    if results is not None:
        results.update(found)
    for tenant, failure in found.items():
        TAMPERED.labels(tenant).set(0 if failure is None else 1)
        CHECKS.labels("tampered" if failure else "intact").inc()
        if failure is not None:
            log.error("audit_log_tampered", tenant=tenant, failure=str(failure))
    return found


def run_self_check(
    pool: ConnectionPool[Any],
    signature_ok: Callable[[Checkpoint], bool],
    interval: float,
    stop: threading.Event,
    results: dict[str, Failure | None],
) -> None:
    while not stop.wait(interval):
        try:
            check_all(pool, signature_ok, results)
        except Exception as error:
            CHECKS.labels("error").inc()
            log.warning("audit_self_check_failed", error=repr(error))
