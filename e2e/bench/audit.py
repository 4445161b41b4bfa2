"""Audit figures, each beside its limit measured in the same run: appends straight into the
log (beside inserting the same rows plainly), ingestion (events/s from Kafka into the signed
log, by the real consumer process, beside the log's own append rate), and `snp-audit verify`
over a large export (beside reading the same export and taking one SHA-256 of each entry's
line, the least a verifier of a hash chain must do).

The entries (SNP_BENCH_AUDIT_ENTRIES, default 200,000 so that `make bench` stays short; issue
9's size is 1,000,000) are made with the service's own code (entry encoding, chaining, the
Merkle frontier, ten signed checkpoints) and loaded with COPY, so building the bench stays
quick; the export is then produced by the service's exporter and checked by the real CLI.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg_pool import ConnectionPool

from e2e.bench.event_backbone import fresh_database
from e2e.bench.ratios import Figure, Results
from snp_audit.adapters import checkpoint_store, log_store
from snp_audit.adapters.schema import create_audit_schema
from snp_audit.adapters.signing import CheckpointSigner
from snp_audit.domain.entries import GENESIS, Record, encode_entry, entry_hash
from snp_audit.domain.merkle import Frontier, leaf_hash
from snp_audit.service_layer.export import export_lines
from snp_platform.eventstore import ANY_VERSION, EventMetadata, EventStore, NewEvent, Stream
from snp_platform.relay import Relay

INGEST_EVENTS = 20_000


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _record(tenant: str, i: int) -> Record:
    return Record(
        tenant, "event", "membership", "membership.MemberAdmitted", str(uuid.uuid4()),
        f"acct-{i % 5000}", f"group:{i % 800}", datetime.now(UTC), uuid.uuid4().hex,
        {"stream_version": i, "schema_version": 1, "causation_id": "", "payload_sha256": "0" * 64},
    )  # fmt: skip


def append_rate(url: str, events: int, batch: int) -> float:
    with ConnectionPool(url, min_size=1, max_size=1) as pool:
        tenant = f"bench-{uuid.uuid4().hex[:6]}"
        started = time.perf_counter()
        for first in range(0, events, batch):
            with pool.connection() as conn, conn.transaction():
                for i in range(first, first + batch):
                    log_store.append(conn, _record(tenant, i))
        return events / (time.perf_counter() - started)


def raw_insert_rate(url: str, events: int, batch: int) -> float:
    """The same entries' rows, made beforehand, inserted one statement each in transactions of
    `batch` into a copy of `audit_entries` (same columns, indexes, constraints): the append's
    limit, without its lock, its read of the log's head, hashing or Merkle nodes."""
    tenant = f"bench-{uuid.uuid4().hex[:6]}"
    rows, prev, frontier = [], GENESIS, Frontier()
    now = datetime.now(UTC)
    for i in range(events):
        record = _record(tenant, i)
        data = encode_entry(record, i, prev, now)
        leaf = leaf_hash(data)
        frontier.append(leaf)
        prev = entry_hash(data)
        rows.append(
            (tenant, i, data, leaf, record.source, record.service, record.type, record.ref,
             record.actor, record.subject, record.occurred_at, prev, frontier.pack())
        )  # fmt: skip
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE raw_entries (LIKE audit_entries INCLUDING ALL)")
        conn.commit()
        started = time.perf_counter()
        for first in range(0, events, batch):
            with conn.transaction():
                for row in rows[first : first + batch]:
                    conn.execute(
                        "INSERT INTO raw_entries (tenant, idx, entry, leaf_hash, source, service,"
                        " event_type, ref, actor, subject, occurred_at, entry_hash, frontier)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        row,
                    )
        return events / (time.perf_counter() - started)


def consumer_rate(server_url: str, bootstrap: str, env: dict[str, str]) -> float:
    """Publish events with the platform relay first, then time the audit consumer process
    (its own database and group) from its first entry to the last."""
    source, target = fresh_database(server_url), fresh_database(server_url)
    create_audit_schema(target)
    tenant = f"bench-{uuid.uuid4().hex[:6]}"
    with ConnectionPool(source, min_size=1, max_size=2) as pool:
        store = EventStore(pool)
        for i in range(0, INGEST_EVENTS, 100):
            events = [NewEvent("audit.BenchHappened", b"x" * 200) for _ in range(100)]
            store.append(Stream(tenant, f"s{i}"), events, ANY_VERSION, EventMetadata(actor="b"))
        relay = Relay(pool, bootstrap, "audit", batch_size=2000)
        relayed = 0
        while relayed < INGEST_EVENTS:
            relayed += relay.relay_once()
    group = f"audit-bench-{uuid.uuid4().hex[:6]}"
    child = {**os.environ, **env, "DATABASE_URL": target, "SNP_CONSUMER_GROUP": group}
    worker = subprocess.Popen(["snp-audit", "consumer"], env=child, stdout=subprocess.DEVNULL)
    try:
        with psycopg.connect(target, autocommit=True) as conn:
            count = "SELECT count(*) FROM audit_entries WHERE tenant = %s"
            while conn.execute(count, (tenant,)).fetchone() == (0,):
                time.sleep(0.05)
            started = time.perf_counter()
            while conn.execute(count, (tenant,)).fetchone() != (INGEST_EVENTS,):
                time.sleep(0.05)
            return INGEST_EVENTS / (time.perf_counter() - started)
    finally:
        worker.terminate()
        worker.wait(30)


def verify_entries() -> int:
    return int(os.environ.get("SNP_BENCH_AUDIT_ENTRIES", "200000"))


def load_entries(url: str, signer: CheckpointSigner, tenant: str, count: int) -> None:
    frontier, prev = Frontier(), GENESIS
    with psycopg.connect(url) as conn:
        entries = conn.cursor().copy(
            "COPY audit_entries (tenant, idx, entry, leaf_hash, source, service, event_type,"
            " ref, actor, subject, occurred_at, entry_hash, frontier) FROM STDIN"
        )
        nodes_rows: list[tuple[Any, ...]] = []
        checkpoints = []
        with entries as copy:
            for i in range(count):
                record = _record(tenant, i)
                data = encode_entry(record, i, prev, datetime.now(UTC))
                leaf = leaf_hash(data)
                for level, index, node in frontier.append(leaf):
                    nodes_rows.append((tenant, level, index, node))
                prev = entry_hash(data)
                copy.write_row(
                    (tenant, i, data, leaf, record.source, record.service, record.type,
                     record.ref, record.actor, record.subject, record.occurred_at, prev,
                     frontier.pack())
                )  # fmt: skip
                if frontier.size % max(1, count // 10) == 0:
                    now = datetime.now(UTC)
                    checkpoints.append(signer.sign(tenant, frontier.size, frontier.root(), now))
        with conn.cursor().copy("COPY audit_nodes (tenant, level, idx, hash) FROM STDIN") as copy:
            for row in nodes_rows:
                copy.write_row(row)
        conn.execute("INSERT INTO audit_tenants (tenant) VALUES (%s)", (tenant,))
        for checkpoint in checkpoints:
            checkpoint_store.save(conn, checkpoint)


def sha256_rate(export: Path) -> float:
    """Entries per second read from the export and hashed once each (one line an entry)."""
    started, count = time.perf_counter(), 0
    with export.open("rb") as lines:
        for line in lines:
            hashlib.sha256(line).digest()
            count += 1
    return count / (time.perf_counter() - started)


def verify_export(server_url: str, folder: Path, count: int) -> dict[str, float]:
    url = fresh_database(server_url)
    create_audit_schema(url)
    key = _b64url(Ed25519PrivateKey.generate().private_bytes_raw())
    signer = CheckpointSigner(key)
    tenant = "bench-verify"
    started = time.perf_counter()
    load_entries(url, signer, tenant, count)
    built = time.perf_counter() - started
    export = folder / "audit-export.ndjson"
    started = time.perf_counter()
    with psycopg.connect(url) as conn, export.open("w") as out:
        for line in export_lines(conn, tenant, signer.public_key_text()):
            out.write(line)
    exported = time.perf_counter() - started
    started = time.perf_counter()
    done = subprocess.run(
        ["snp-audit", "verify", str(export), "--public-key", signer.public_key_text()],
        capture_output=True,
        text=True,
        check=False,
    )
    verified = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"verify failed: {done.stdout}{done.stderr}")
    size = export.stat().st_size
    limit = sha256_rate(export)
    export.unlink()
    return {
        "built": built,
        "exported": exported,
        "verified": verified,
        "bytes": size,
        "limit": limit,
    }


def run(stack: Any, results: Results) -> None:
    """`python -m e2e.bench audit`."""
    with tempfile.TemporaryDirectory() as folder:
        figures(
            stack.database_url,
            stack.kafka_bootstrap,
            stack.service_env("audit"),
            Path(folder),
            results,
        )


def figures(
    server_url: str, bootstrap: str, audit_env: dict[str, str], folder: Path, results: Results
) -> None:
    print("== audit ==")
    appended = {}
    for batch in (1, 100):
        url = fresh_database_with_schema(server_url)
        appended[batch] = append_rate(url, 5000, batch)
        results.add(
            Figure(
                f"audit log append (chain, Merkle, nodes), {batch} a transaction",
                appended[batch],
                "entries/s",
                raw_insert_rate(url, 5000, batch),
                f"the same rows inserted one statement each, {batch} a transaction, into a copy"
                " of the table (no lock, head read, hashing or nodes)",
            )
        )
    rate = consumer_rate(server_url, bootstrap, audit_env)
    results.add(
        Figure(
            "audit ingestion from Kafka (`snp-audit consumer`)",
            rate,
            "events/s",
            appended[100],
            "the log's own append, 100 entries a transaction, measured above (no Kafka)",
        )
    )
    count = verify_entries()
    measured = verify_export(server_url, folder, count)
    print(
        f"audit verify: {count:,} entries, {measured['bytes'] / 1e6:.0f} MB export, 10 signed"
        f" checkpoints, {measured['verified']:.1f} s (export written in"
        f" {measured['exported']:.1f} s)"
    )
    results.add(
        Figure(
            f"`snp-audit verify` over {count:,} entries",
            count / measured["verified"],
            "entries/s",
            measured["limit"],
            "reading the same export, one SHA-256 an entry's line, 1 thread",
        )
    )


def fresh_database_with_schema(server_url: str) -> str:
    url = fresh_database(server_url)
    create_audit_schema(url)
    return url
