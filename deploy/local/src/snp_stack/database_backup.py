"""Each service's database: `pg_dump -Fc` from an exported snapshot, `pg_restore` into a new one.

The dump and the figures the manifest keeps (events, last position, the relay's checkpoint)
come from one snapshot, so the figures describe exactly what the dump holds.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg

from snp_stack import postgres
from snp_stack.errors import StackError

# Downstream first: a consumer's database is dumped before the stores it reads, so every event
# it has applied is in its producer's dump (a later snapshot holds a superset). Membership reads
# identity; documents, engagement and messaging read membership (and identity, messaging also
# documents); audit reads every store. The portal holds sessions only.
DUMP_ORDER = ("audit", "messaging", "engagement", "documents", "membership", "identity", "portal")


@dataclass(frozen=True)
class DatabaseDump:
    """What one database's dump holds: its event store's size and last position (the recovery
    point), and how far its relay had had events confirmed."""

    service: str
    file: str
    events: int | None  # None: the database has no event store (the portal)
    max_position: int
    last_recorded_at: str | None
    relay_checkpoint: int
    seconds: float
    bytes: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _split_password(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and PGPASSWORD: a password never shows in `ps`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, {}
    netloc = f"{parts.username or ''}@{parts.hostname}:{parts.port or 5432}"
    return urlunsplit(parts._replace(netloc=netloc)), {"PGPASSWORD": unquote(parts.password)}


def _run(tool: str, args: list[str], url: str) -> None:
    bare, secret = _split_password(url)
    command = [str(postgres.wheel_bin_dir() / tool), *args, f"--dbname={bare}"]
    done = subprocess.run(command, env={**os.environ, **secret}, capture_output=True, text=True)
    if done.returncode != 0:
        said = done.stderr.strip().splitlines()[-5:]
        raise StackError(f"{tool} failed (exit {done.returncode}): " + " / ".join(said))


def _figures(
    conn: psycopg.Connection[Any], service: str
) -> tuple[int | None, int, str | None, int]:
    if conn.execute("SELECT to_regclass('events')").fetchone() == (None,):
        return None, 0, None, 0
    size = conn.execute("SELECT count(*), coalesce(max(position), 0) FROM events").fetchone()
    count, last = size if size else (0, 0)
    row = conn.execute("SELECT recorded_at FROM events WHERE position = %s", (last,)).fetchone()
    relay = conn.execute(
        "SELECT position FROM relay_checkpoints WHERE relay = %s", (f"{service}-relay",)
    ).fetchone()
    recorded = row[0].isoformat() if row else None
    return int(count), int(last), recorded, int(relay[0]) if relay else 0


def dump(server_url: str, service: str, folder: Path) -> DatabaseDump:
    """Dump the service's database into `folder` from a snapshot held open meanwhile."""
    url = postgres.service_database_url(server_url, service)
    target = folder / f"{postgres.database_name(service)}.dump"
    started = time.monotonic()
    with psycopg.connect(url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        events, last, recorded, relay = _figures(conn, service)
        # pg_dump reads the very snapshot the figures came from (held until it has taken it).
        _run("pg_dump", ["--format=custom", f"--snapshot={row[0]}", f"--file={target}"], url)
    seconds = round(time.monotonic() - started, 3)
    size = target.stat().st_size
    return DatabaseDump(service, target.name, events, last, recorded, relay, seconds, size)


def restore(server_url: str, service: str, dump_file: Path) -> None:
    """Restore one dump into the service's (new, empty) database, all or nothing."""
    url = postgres.service_database_url(server_url, service)
    _run(
        "pg_restore", ["--exit-on-error", "--single-transaction", "--no-owner", str(dump_file)], url
    )


def set_relay_checkpoint(server_url: str, service: str, position: int) -> None:
    """Where the restored relay resumes: after the events the restored topic already holds."""
    url = postgres.service_database_url(server_url, service)
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO relay_checkpoints (relay, position) VALUES (%s, %s) "
            "ON CONFLICT (relay) DO UPDATE SET position = EXCLUDED.position",
            (f"{service}-relay", position),
        )


def events_after(server_url: str, service: str, position: int) -> list[tuple[int, str]]:
    """(position, event id) of the live store's events after `position`, in order."""
    url = postgres.service_database_url(server_url, service)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT position, event_id::text FROM events WHERE position > %s ORDER BY position",
            (position,),
        ).fetchall()
    return [(int(p), str(e)) for p, e in rows]


def server_version(server_url: str) -> str:
    with psycopg.connect(server_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"


def dump_tool_version() -> str:
    done = subprocess.run(
        [str(postgres.wheel_bin_dir() / "pg_dump"), "--version"], capture_output=True, text=True
    )
    return done.stdout.strip()
