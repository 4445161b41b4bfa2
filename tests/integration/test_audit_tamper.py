"""Tampering with the audit log in the real database, as a DBA could: each change is found by the
offline `snp-audit verify` of an export and by the running service's self-check (its alert
metric), naming the first entry that fails."""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg_pool import ConnectionPool

from snp_audit.adapters import checkpoint_store, log_store
from snp_audit.domain.checkpoints import key_id
from snp_audit.domain.entries import GENESIS, Record, encode_entry, entry_hash
from snp_audit.domain.merkle import (
    Frontier,
    ProofError,
    consistency_path,
    leaf_hash,
    verify_consistency,
)
from snp_audit.service_layer.export import export_lines
from tests.integration.audit_helpers import AuditProcess, as_dba, fresh_database
from tests.integration.kafka_helpers import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def audit_db(stack: Any) -> Iterator[str]:
    with fresh_database(stack) as url:
        yield url


@pytest.fixture(scope="module")
def service(stack: Any, audit_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A second audit api on its own database, signing and self-checking every second."""
    log = tmp_path_factory.mktemp("audit") / "audit-api.log"
    process = AuditProcess(
        stack,
        "api",
        audit_db,
        log,
        SNP_CHECKPOINT_INTERVAL_SECONDS="1",
        SNP_SELF_CHECK_INTERVAL_SECONDS="1",
    )
    try:
        process.wait_listening()
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def pool(audit_db: str, service: Any) -> Iterator[ConnectionPool[Any]]:
    with ConnectionPool(audit_db, min_size=1, max_size=4) as opened:
        yield opened


@pytest.fixture(scope="module")
def public_key(service: Any) -> str:
    return str(httpx.get(f"{service.url}/audit/public-key").json()["public_key"])


def append(pool: ConnectionPool[Any], tenant: str, count: int, start: int = 0) -> None:
    with pool.connection() as conn, conn.transaction():
        for i in range(start, start + count):
            record = Record(
                tenant, "event", "membership", "membership.MemberAdmitted", str(uuid.uuid4()),
                f"actor-{i}", f"group-{i % 3}", datetime.now(UTC),
            )  # fmt: skip
            log_store.append(conn, record)


def checkpointed(pool: ConnectionPool[Any], tenant: str, size: int) -> None:
    def signed() -> bool:
        with pool.connection() as conn:
            latest = checkpoint_store.latest(conn, tenant)
        return latest is not None and latest.tree_size == size

    wait_until(signed, timeout=30, what=f"a checkpoint of {tenant} at {size}")


def new_log(pool: ConnectionPool[Any], size: int = 20) -> str:
    tenant = f"t-{uuid.uuid4().hex[:8]}"
    append(pool, tenant, size)
    checkpointed(pool, tenant, size)
    return tenant


def verify(
    pool: ConnectionPool[Any], tenant: str, key: str, tmp: Path, **options: Any
) -> tuple[int, str]:
    """Export the tenant's log from the database and run the offline verifier on the file."""
    export = tmp / f"{tenant}.ndjson"
    with pool.connection() as conn:
        export.write_text("".join(export_lines(conn, tenant, key, **options)))
    args = ["snp-audit", "verify", str(export), "--public-key", key]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    return done.returncode, done.stdout + done.stderr


def alert(service: Any, tenant: str) -> float | None:
    text = httpx.get(f"{service.url}/metrics", follow_redirects=True).text
    found = re.search(rf'snp_audit_tamper_detected{{tenant="{tenant}"}} (\S+)', text)
    return float(found.group(1)) if found else None


def raises_alert(service: Any, tenant: str) -> None:
    wait_until(lambda: alert(service, tenant) == 1.0, timeout=30, what="the tamper alert")


def test_an_intact_log_verifies_offline_and_raises_no_alert(
    pool: ConnectionPool[Any], service: Any, public_key: str, tmp_path: Path
) -> None:
    tenant = new_log(pool)
    code, output = verify(pool, tenant, public_key, tmp_path)
    assert code == 0, output
    assert "OK" in output and "20 entries" in output
    wait_until(lambda: alert(service, tenant) == 0.0, timeout=30, what="a clean self-check")


def test_the_tables_refuse_changes_unless_a_dba_switches_their_triggers_off(
    pool: ConnectionPool[Any],
) -> None:
    tenant = new_log(pool, 3)
    for statement in (
        "UPDATE audit_entries SET actor = 'x' WHERE tenant = %s",
        "DELETE FROM audit_entries WHERE tenant = %s",
        "DELETE FROM audit_checkpoints WHERE tenant = %s",
    ):
        with pool.connection() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(statement, (tenant,))


def test_changing_one_entrys_bytes_is_found_at_that_entry(
    pool: ConnectionPool[Any], audit_db: str, service: Any, public_key: str, tmp_path: Path
) -> None:
    tenant = new_log(pool)
    with as_dba(audit_db) as conn:
        conn.execute(
            "UPDATE audit_entries SET entry = convert_to(replace(convert_from(entry, 'UTF8'),"
            " '\"actor-7\"', '\"actor-X\"'), 'UTF8') WHERE tenant = %s AND idx = 7",
            (tenant,),
        )
    code, output = verify(pool, tenant, public_key, tmp_path)
    assert code == 1 and "FAILED entry 7:" in output, output
    raises_alert(service, tenant)


def test_changing_the_last_entry_is_found_at_that_entry_not_as_a_range(
    pool: ConnectionPool[Any], audit_db: str, service: Any, public_key: str, tmp_path: Path
) -> None:
    tenant = new_log(pool)  # 20 entries: no later entry's `prev` can point at entry 19
    with as_dba(audit_db) as conn:
        conn.execute(
            "UPDATE audit_entries SET entry = convert_to(replace(convert_from(entry, 'UTF8'),"
            " '\"actor-19\"', '\"actor-X\"'), 'UTF8') WHERE tenant = %s AND idx = 19",
            (tenant,),
        )
    code, output = verify(pool, tenant, public_key, tmp_path)
    assert code == 1 and "FAILED entry 19: was changed" in output, output
    assert ".." not in output.split("FAILED", 1)[1].split("(", 1)[0], output
    raises_alert(service, tenant)


def test_deleting_an_entry_is_found_where_it_was(
    pool: ConnectionPool[Any], audit_db: str, service: Any, public_key: str, tmp_path: Path
) -> None:
    tenant = new_log(pool)
    with as_dba(audit_db) as conn:
        conn.execute("DELETE FROM audit_entries WHERE tenant = %s AND idx = 7", (tenant,))
    code, output = verify(pool, tenant, public_key, tmp_path)
    assert code == 1 and "FAILED entry 7:" in output, output
    raises_alert(service, tenant)


def test_reordering_two_entries_is_found_at_the_first(
    pool: ConnectionPool[Any], audit_db: str, service: Any, public_key: str, tmp_path: Path
) -> None:
    tenant = new_log(pool)
    with as_dba(audit_db) as conn:
        conn.execute(
            "UPDATE audit_entries a SET entry = b.entry FROM audit_entries b"
            " WHERE a.tenant = %s AND b.tenant = a.tenant"
            " AND ((a.idx = 5 AND b.idx = 6) OR (a.idx = 6 AND b.idx = 5))",
            (tenant,),
        )
    code, output = verify(pool, tenant, public_key, tmp_path)
    assert code == 1 and "FAILED entry 5:" in output, output
    raises_alert(service, tenant)


def test_truncating_the_tail_is_found_against_the_signed_size(
    pool: ConnectionPool[Any], audit_db: str, service: Any, public_key: str, tmp_path: Path
) -> None:
    tenant = new_log(pool)
    with as_dba(audit_db) as conn:
        conn.execute("DELETE FROM audit_entries WHERE tenant = %s AND idx >= 15", (tenant,))
    code, output = verify(pool, tenant, public_key, tmp_path)
    assert code == 1 and "FAILED entry 15:" in output and "cut short" in output, output
    raises_alert(service, tenant)


def test_a_forged_checkpoint_signature_is_refused(
    pool: ConnectionPool[Any], audit_db: str, service: Any, public_key: str, tmp_path: Path
) -> None:
    tenant = new_log(pool, 10)
    append(pool, tenant, 5, start=10)
    with pool.connection() as conn:
        size, _last, frontier = log_store.head(conn, tenant)
    forger = Ed25519PrivateKey.generate()
    with pool.connection() as conn:
        real = checkpoint_store.latest(conn, tenant)
    assert real is not None
    with as_dba(audit_db) as conn:  # before the service signs size 15 itself
        conn.execute(
            "INSERT INTO audit_checkpoints VALUES (%s, %s, %s, now(), %s, %s)",
            (tenant, size, frontier.root(), real.key_id, forger.sign(b"anything")),
        )
    code, output = verify(pool, tenant, public_key, tmp_path)
    assert code == 1 and "checkpoint at size 15: bad signature" in output, output
    raises_alert(service, tenant)
    wrong_key = forger.public_key().public_bytes_raw()
    assert key_id(wrong_key) != real.key_id  # a checkpoint under another key is no better


def rewrite_history_from(audit_db: str, tenant: str, first: int) -> None:
    """What a thorough attacker with the database does: change entry `first`, then re-chain
    every later entry and rebuild the stored tree and heads so everything looks consistent.
    Only the signed checkpoints (they cannot re-sign) still tell the old story."""
    with as_dba(audit_db) as conn:
        rows = conn.execute(
            "SELECT idx, entry FROM audit_entries WHERE tenant = %s ORDER BY idx", (tenant,)
        ).fetchall()
        frontier, prev = Frontier(), GENESIS
        conn.execute("DELETE FROM audit_nodes WHERE tenant = %s", (tenant,))
        for idx, old in rows:
            entry = bytes(old)
            if idx >= first:
                document = json.loads(entry)
                document["prev"] = prev
                if idx == first:
                    document["actor"] = "someone-else"
                record = Record(
                    tenant, document["source"], document["service"], document["type"],
                    document["ref"], document["actor"], document["subject"],
                    datetime.now(UTC), document["correlation_id"], document["attrs"],
                )  # fmt: skip
                entry = encode_entry(record, idx, prev, datetime.now(UTC))
            for level, index, node in frontier.append(leaf_hash(entry)):
                conn.execute(
                    "INSERT INTO audit_nodes VALUES (%s, %s, %s, %s)", (tenant, level, index, node)
                )
            prev = entry_hash(entry)
            conn.execute(
                "UPDATE audit_entries SET entry = %s, leaf_hash = %s, actor = %s,"
                " entry_hash = %s, frontier = %s WHERE tenant = %s AND idx = %s",
                (entry, leaf_hash(entry), json.loads(entry)["actor"], prev, frontier.pack(),
                 tenant, idx),
            )  # fmt: skip


def test_a_consistency_proof_fails_once_history_was_rewritten(
    pool: ConnectionPool[Any], audit_db: str, service: Any, public_key: str, tmp_path: Path
) -> None:
    tenant = new_log(pool, 10)
    with pool.connection() as conn:
        old = checkpoint_store.latest(conn, tenant)
    assert old is not None and old.tree_size == 10
    # Before the rewrite, the log only grew: the proof from 10 to 15 holds.
    append(pool, tenant, 5, start=10)
    checkpointed(pool, tenant, 15)
    with pool.connection() as conn:
        tree = log_store.StoredTree(conn, tenant)
        new = checkpoint_store.latest(conn, tenant)
        assert new is not None
        path = consistency_path(10, 15, tree.subtree)
    verify_consistency(10, 15, old.root_hash, new.root_hash, path)

    rewrite_history_from(audit_db, tenant, 3)
    append(pool, tenant, 5, start=15)  # the service carries on, and signs the rewritten head
    checkpointed(pool, tenant, 20)
    with pool.connection() as conn:
        tree = log_store.StoredTree(conn, tenant)
        rewritten = checkpoint_store.latest(conn, tenant)
        assert rewritten is not None
        path = consistency_path(10, 20, tree.subtree)
    with pytest.raises(ProofError):
        verify_consistency(10, 20, old.root_hash, rewritten.root_hash, path)

    # Offline: an export with the proof from the auditor's old checkpoint fails on it...
    code, output = verify(pool, tenant, public_key, tmp_path, start=15, since=10)
    assert code == 1 and "history was rewritten since checkpoint 10" in output, output
    # ...and a full export fails at the first signed checkpoint the rewrite contradicts.
    code, output = verify(pool, tenant, public_key, tmp_path)
    # The rewrite re-linked entries 3..9, so the chain cannot say where it began; the last
    # entry the contradicted checkpoint covers was certainly changed.
    assert code == 1 and "FAILED entry 9: was changed" in output and "checkpoint 10" in output
    raises_alert(service, tenant)
