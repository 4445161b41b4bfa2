"""What the reports tests look through: every table of every database on the stack's server,
every record of every Kafka topic, and every service's log, for a piece of text (an account
id) in plain or, inside bytes (protobuf payloads, entries), as its UTF-8 hex."""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import Any

import psycopg
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from psycopg import sql
from psycopg.conninfo import make_conninfo

Tally = dict[str, int]


def token_claims(token: str) -> dict[str, Any]:
    """A JWT's claims, unverified (the test only reads the agency its own partner holds)."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def _databases(stack: Any) -> list[str]:
    with psycopg.connect(stack.database_url) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE NOT datistemplate AND datallowconn"
        ).fetchall()
    return sorted(str(r[0]) for r in rows)


def rows_mentioning(stack: Any, needles: list[str]) -> Tally:
    """`db.schema.table` -> how many of its rows mention any needle (as text, or as the hex of
    its bytes in a bytea column), for every table of every database."""
    tally: Tally = {}
    patterns = [f"%{n}%" for n in needles] + [f"%{n.encode().hex()}%" for n in needles]
    for db in _databases(stack):
        with psycopg.connect(make_conninfo(stack.database_url, dbname=db)) as conn:
            tables = conn.execute(
                "SELECT table_schema, table_name FROM information_schema.tables"
                " WHERE table_type = 'BASE TABLE'"
                " AND table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).fetchall()
            for schema, table in tables:
                query = sql.SQL("SELECT count(*) FROM {} t WHERE t::text ILIKE ANY(%s)").format(
                    sql.Identifier(schema, table)
                )
                row = conn.execute(query, (patterns,)).fetchone()
                tally[f"{db}.{schema}.{table}"] = int(row[0]) if row else 0
    return tally


def topic_records_mentioning(bootstrap: str, needles: list[str]) -> Tally:
    """topic -> how many of its records mention any needle (key, value or headers)."""
    raw = [n.encode() for n in needles]
    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": f"reader-{uuid.uuid4()}"})
    tally: Tally = {}
    try:
        topics = [t for t in reader.list_topics(timeout=10).topics if not t.startswith("__")]
        for topic in sorted(topics):
            meta = reader.list_topics(topic, timeout=10).topics[topic]
            wanted = {}
            for p in meta.partitions:
                low, high = reader.get_watermark_offsets(TopicPartition(topic, p), 10)
                if high > low:
                    wanted[p] = high
            tally[topic] = 0
            if not wanted:
                continue
            reader.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in wanted])
            done: set[int] = set()
            while len(done) < len(wanted):
                message = reader.poll(10)
                assert message is not None, f"timed out reading {topic}"
                if message.error() is not None:
                    continue
                if any(n in _record_bytes(message) for n in raw):
                    tally[topic] += 1
                partition, offset = message.partition() or 0, message.offset() or 0
                if offset + 1 >= wanted[partition]:
                    done.add(partition)
            reader.unassign()
    finally:
        reader.close()
    return tally


def _record_bytes(message: Any) -> bytes:
    """A record's key, value and headers, as one run of bytes to search."""
    key, value = message.key() or b"", message.value() or b""
    headers = b"".join(
        str(name).encode() + (header or b"") for name, header in message.headers() or []
    )
    return bytes(key) + bytes(value) + headers


def log_sizes(logs: Path) -> dict[Path, int]:
    return {path: path.stat().st_size for path in sorted(logs.glob("*.log"))}


def log_lines_since(sizes: dict[Path, int], logs: Path) -> list[str]:
    """Every line the stack's processes logged since `sizes` was taken."""
    lines: list[str] = []
    for path in sorted(logs.glob("*.log")):
        with path.open("rb") as log:
            log.seek(sizes.get(path, 0))
            lines += log.read().decode("utf-8", errors="replace").splitlines()
    return lines
