"""Signing checkpoints: every tenant whose log grew since its last checkpoint gets a new one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import structlog
from psycopg_pool import ConnectionPool

from snp_audit.adapters import checkpoint_store, log_store
from snp_audit.adapters.signing import CheckpointSigner
from snp_audit.domain.checkpoints import Checkpoint
from snp_platform.metrics import counter, gauge

SIGNED = counter("snp_audit_checkpoints_signed_total", "Checkpoints signed")
LAST_SIGNED = gauge(
    "snp_audit_last_checkpoint_timestamp_seconds", "When the last checkpoint was signed"
)
log = structlog.get_logger(__name__)


def sign_due(pool: ConnectionPool[Any], signer: CheckpointSigner) -> list[Checkpoint]:
    """Sign the current head of every tenant whose log is larger than its latest checkpoint."""
    signed: list[Checkpoint] = []
    with pool.connection() as conn:
        for tenant in log_store.tenants(conn):
            with conn.transaction():
                size, _last, frontier = log_store.head(conn, tenant)
                latest = checkpoint_store.latest(conn, tenant)
                if size == 0 or (latest is not None and latest.tree_size >= size):
                    continue
                checkpoint = signer.sign(tenant, size, frontier.root(), datetime.now(UTC))
                checkpoint_store.save(conn, checkpoint)
                signed.append(checkpoint)
    if signed:
        SIGNED.inc(len(signed))
        LAST_SIGNED.set_to_current_time()
    return signed


def run_signer(
    pool: ConnectionPool[Any], signer: CheckpointSigner, interval: float, stop: threading.Event
) -> None:
    """Sign due checkpoints every `interval` seconds until stopped (errors are logged, retried)."""
    while not stop.wait(interval):
        try:
            sign_due(pool, signer)
        except Exception as error:  # the database may be away for a while: try next round
            log.warning("audit_checkpoint_failed", error=repr(error))
