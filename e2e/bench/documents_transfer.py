"""Documents: upload and download MB/s for 1 MiB and 20 MiB files through the API, the api
process's peak memory while streaming 20 MiB, and list latency with 10,000 documents in a group.

Each transfer is beside its limit, measured in the same run: AES-GCM over the same segments
(the service's own cipher and segment size) and PostgreSQL writing (for an upload) or reading
(for a download) the same sealed segments in a copy of `document_segments`, one transaction a
file, one after the other as the service does them.

The 10,000 documents are seeded straight into the documents database (sealed titles under the
group's real key, no contents): the figure is the list path (projection, one batch OPA decision,
decrypting titles), not 10,000 uploads.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import psutil
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

from e2e.bench.ratios import Figure, Results
from snp_documents.adapters.group_keys import GroupKeys
from snp_documents.adapters.sealing import (
    ContentCipher,
    SegmentWriter,
    new_salt,
    seal_text,
    text_aad,
)
from snp_documents.settings import DocumentsSettings
from snp_platform.eventstore import EventMetadata, create_platform_schema
from snp_platform.keywrap import ConfiguredKeks
from tests.integration.documents_world import make_accounts, membership_relay, roles_in_documents
from tests.integration.kafka_helpers import wait_until

MIB = 1024 * 1024
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


class PeakRss:
    """Samples a process's resident memory every few milliseconds while in use."""

    def __init__(self, pid: int) -> None:
        self._process = psutil.Process(pid)
        self.baseline = self.peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            time.sleep(0.002)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _timed(action: Callable[[], object], repeats: int) -> float:
    started = time.perf_counter()
    for _ in range(repeats):
        action()
    return time.perf_counter() - started


SEGMENT_BYTES = DocumentsSettings.model_fields["segment_bytes"].default


@dataclass(frozen=True)
class TransferLimit:
    """MiB/s of each step on its own for one file's bytes, and of both one after the other."""

    cipher: float
    database: float

    @property
    def serial(self) -> float:
        return 1 / (1 / self.cipher + 1 / self.database)


def _mib_per_second(size: int, repeats: int, action: Callable[[], object]) -> float:
    return size * repeats / _timed(action, repeats) / MIB


def transfer_limits(url: str, data: bytes, repeats: int) -> tuple[TransferLimit, TransferLimit]:
    """(upload, download) limits for `data`: sealing and writing its segments; reading them
    back and opening them."""
    cipher = ContentCipher(os.urandom(32), new_salt(), b"bench")

    def seal() -> list[tuple[int, bytes]]:
        writer = SegmentWriter(cipher, SEGMENT_BYTES)
        return [*writer.write(data), *writer.finish()]

    sealed = seal()
    last = len(sealed) - 1

    def open_all() -> None:
        for index, ciphertext in sealed:
            cipher.open(index, ciphertext, last=index == last)

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_segments")
        conn.execute("CREATE TABLE bench_segments (LIKE document_segments INCLUDING ALL)")
    with psycopg.connect(url) as conn:
        ids: list[str] = []

        def write() -> None:
            ids.append(str(uuid.uuid4()))
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO bench_segments (document_id, index, ciphertext)"
                    " VALUES (%s, %s, %s)",
                    [(ids[-1], index, ciphertext) for index, ciphertext in sealed],
                )
            conn.commit()

        def read() -> None:
            rows = conn.execute(
                "SELECT index, ciphertext FROM bench_segments WHERE document_id = %s"
                " ORDER BY index",
                (ids[0],),
            ).fetchall()
            conn.commit()
            assert sum(len(row[1]) for row in rows) > len(data)

        size = len(data)
        upload = TransferLimit(
            _mib_per_second(size, repeats, seal), _mib_per_second(size, repeats, write)
        )
        download = TransferLimit(
            _mib_per_second(size, repeats, open_all), _mib_per_second(size, repeats, read)
        )
    return upload, download


def _transfer(api: httpx.Client, stack: Any, chair: Any, group: str, results: Results) -> None:
    pid = stack.pid("documents-api")
    database = stack.service_database_url("documents")
    for size, repeats in ((1 * MIB, 20), (20 * MIB, 4)):
        data = PDF + os.urandom(size - len(PDF))
        ids: list[str] = []

        def up(data: bytes = data, ids: list[str] = ids) -> None:
            made = api.post(
                f"/groups/{group}/documents",
                headers=chair.headers,
                data={"title": "Bench", "audience": "members"},
                files={"file": ("bench.pdf", data, "application/pdf")},
            )
            made.raise_for_status()
            ids.append(made.json()["id"])

        with PeakRss(pid) as upload_rss:
            up_seconds = _timed(up, repeats)

        def down(ids: list[str] = ids, size: int = size) -> None:
            with api.stream("GET", f"/documents/{ids[0]}/content", headers=chair.headers) as r:
                got = sum(len(chunk) for chunk in r.iter_bytes(256 * 1024))
            assert got == size

        with PeakRss(pid) as download_rss:
            down_seconds = _timed(down, repeats)
        label = f"{size // MIB} MiB"
        print(
            f"documents {label}: peak api RSS +{(upload_rss.peak - upload_rss.baseline) / MIB:.1f}"
            f" MiB uploading, +{(download_rss.peak - download_rss.baseline) / MIB:.1f} MiB"
            f" downloading, over {upload_rss.baseline / MIB:.0f} MiB"
        )
        up_limit, down_limit = transfer_limits(database, data, repeats)
        for way, seconds, limit, steps in (
            ("upload", up_seconds, up_limit, ("AES-GCM seal", "PostgreSQL write")),
            ("download", down_seconds, down_limit, ("PostgreSQL read", "AES-GCM open")),
        ):
            cipher, stored = f"{limit.cipher:.0f} MiB/s", f"{limit.database:.0f} MiB/s"
            if way == "upload":
                done = f"{steps[0]} {cipher} then {steps[1]} {stored}"
            else:
                done = f"{steps[0]} {stored} then {steps[1]} {cipher}"
            results.add(
                Figure(
                    f"documents {way}, {label} files, 1 client",
                    size * repeats / seconds / MIB,
                    "MiB/s",
                    limit.serial,
                    f"{done} of the same {SEGMENT_BYTES // 1024} KiB segments",
                )
            )


def _seed(stack: Any, tenant: str, group: str, stored_by: str, count: int) -> None:
    keks = ConfiguredKeks.from_config(stack.service_env("documents")["SNP_DOCUMENT_KEKS"])
    url = stack.service_database_url("documents")
    with ConnectionPool(url, min_size=1, max_size=2) as pool:
        key = GroupKeys(pool, keks).ensure(tenant, group, EventMetadata(actor="bench"))
        with (
            pool.connection() as conn,
            conn.cursor() as cur,
            cur.copy(
                "COPY documents (document_id, tenant, group_id, audience, title, file_name,"
                " content_type, size_bytes, sha256, salt, segment_bytes, segments, stored_by)"
                " FROM STDIN"
            ) as copy,
        ):
            for i in range(count):
                doc = str(uuid.uuid4())
                audience = "members" if i % 2 else "officers"
                title = seal_text(key, f"Document {i}", text_aad(tenant, group, doc, "title"))
                name = seal_text(key, f"doc{i}.pdf", text_aad(tenant, group, doc, "name"))
                copy.write_row(
                    (
                        doc,
                        tenant,
                        group,
                        audience,
                        title,
                        name,
                        "application/pdf",
                        1000,
                        "0" * 64,
                        os.urandom(32),
                        262144,
                        1,
                        stored_by,
                    )
                )


def _list_latency(api: httpx.Client, who: Any, group: str, limit: int, rounds: int) -> str:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        page = api.get(f"/groups/{group}/documents", params={"limit": limit}, headers=who.headers)
        times.append((time.perf_counter() - started) * 1000)
        page.raise_for_status()
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    return f"p50 {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms"


def run(stack: Any, results: Results) -> None:
    name = f"bench_membership_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(stack.database_url, dbname=name)
    create_platform_schema(url)
    tenant = f"bench-{uuid.uuid4().hex[:6]}"
    people = make_accounts(stack, tenant, [("chair", "member"), ("member", "member")])
    chair, member = people["chair"], people["member"]
    with membership_relay(stack, url) as membership:
        group = membership.group(tenant, chair.account_id)
        membership.admit(tenant, group, member.account_id)
        crowded = membership.group(tenant, chair.account_id)
        membership.admit(tenant, crowded, member.account_id)
        wait_until(lambda: bool(roles_in_documents(stack, crowded, member.account_id)), 60)
    http_port, _ = stack.ports.services["documents"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/documents", timeout=120) as api:
        _transfer(api, stack, chair, group, results)
        _seed(stack, tenant, crowded, chair.account_id, 10_000)
        for who, label in ((chair, "officer (sees all)"), (member, "member (sees half)")):
            for limit in (100, 500):
                figures = _list_latency(api, who, crowded, limit, 40)
                print(f"documents list, 10,000 in the group, {label}, page of {limit}: {figures}")
