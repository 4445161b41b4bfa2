"""Projection rebuilds started by an operator (over each service's ops routes): one at a time per
projection, in a background thread of the service's API, their progress in `projection_rebuilds`.

A rebuild *claims* its projection with an advisory lock held on a connection of its own for the
whole run: a second start finds the claim taken and is refused (409) on every replica, and a
`running` row whose claim nobody holds belongs to a process that stopped (shown `interrupted`).
The rebuild itself (projections.rebuild_from_kafka, or a service's own store rebuild) runs in one
transaction under the projection's lock, so the live consumer waits instead of interleaving.
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from snp_platform.logging import get_logger
from snp_platform.projections import Projection, RebuildProgress, rebuild_from_kafka

_CLAIM_SEED = 14  # hashtextextended(name, seed); the projection lock itself uses 13
_log = get_logger(__name__)


@dataclass(frozen=True)
class Rebuildable:
    """A projection an operator may rebuild: its name, what it is rebuilt from (for people),
    how to rebuild it (pool, Kafka bootstrap, progress) and how many events it has applied."""

    name: str
    source: str
    rebuild: Callable[[ConnectionPool[Any], str, RebuildProgress], int]
    applied: Callable[[psycopg.Connection[Any]], int]


def from_kafka(projection: Projection, topics: Sequence[str]) -> Rebuildable:
    """A consumer-fed projection, rebuilt from its topics; its count is its processed ids."""

    def rebuild(pool: ConnectionPool[Any], bootstrap: str, progress: RebuildProgress) -> int:
        return rebuild_from_kafka(pool, bootstrap, projection, topics, 30.0, progress)

    def applied(conn: psycopg.Connection[Any]) -> int:
        row = conn.execute(
            "SELECT count(*) FROM processed_events WHERE consumer = %s", (projection.name,)
        ).fetchone()
        return int(row[0]) if row else 0

    return Rebuildable(projection.name, ", ".join(topics), rebuild, applied)


class RebuildBusy(Exception):
    """The projection is being rebuilt already."""


def start_rebuild(
    pool: ConnectionPool[Any], bootstrap: str, target: Rebuildable, timeout: float = 10.0
) -> str:
    """Start rebuilding `target` in the background; its rebuild id once claimed, RebuildBusy
    if another rebuild holds the claim. Never waits for the rebuild itself."""
    claimed: queue.Queue[str | BaseException | None] = queue.Queue(maxsize=1)
    threading.Thread(
        target=_run,
        args=(pool, bootstrap, target, claimed),
        name=f"rebuild-{target.name}",
        daemon=True,  # a stopping service abandons it: rolled back, shown interrupted
    ).start()
    outcome = claimed.get(timeout=timeout)
    if outcome is None:
        raise RebuildBusy(target.name)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _run(
    pool: ConnectionPool[Any],
    bootstrap: str,
    target: Rebuildable,
    claimed: queue.Queue[str | BaseException | None],
) -> None:
    conninfo = pool.conninfo if isinstance(pool.conninfo, str) else pool.conninfo()
    try:
        # Its own connection, not the pool's: the claim is a session lock, held while it runs.
        conn = psycopg.connect(conninfo, autocommit=True)
    except Exception as error:
        claimed.put(error)
        return
    with conn:
        key = (target.name, _CLAIM_SEED)
        row = conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, %s))", key)
        if row.fetchone() != (True,):
            claimed.put(None)
            return
        try:
            record = RebuildRecord(conn, target.name)
            claimed.put(record.rebuild_id)
            _rebuild(pool, bootstrap, target, record)
        except Exception as error:
            if claimed.empty():
                claimed.put(error)
            _log.exception("projection_rebuild_not_recorded", projection=target.name)
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, %s))", key)


def _rebuild(
    pool: ConnectionPool[Any], bootstrap: str, target: Rebuildable, record: RebuildRecord
) -> None:
    _log.info("projection_rebuild_started", projection=target.name, rebuild=record.rebuild_id)
    try:
        applied = target.rebuild(pool, bootstrap, record.progress)
    except Exception as error:
        _log.exception("projection_rebuild_failed", projection=target.name)
        record.fail(_reason(error))
        return
    record.finish(applied)
    _log.info("projection_rebuild_finished", projection=target.name, applied=applied)


def _reason(error: Exception) -> str:
    """Why a rebuild failed, for the console: a database error's primary message only, as its
    detail may quote a row (a key, an address); names, counts and times only."""
    text = str(error)
    if isinstance(error, psycopg.Error) and error.diag.message_primary:
        text = error.diag.message_primary
    return f"{type(error).__name__}: {text[:300]}"


class RebuildRecord:
    """One rebuild's row in `projection_rebuilds`, written as it goes (autocommit, so every
    replica's console sees it), at most every `interval` seconds while events are applied."""

    def __init__(self, conn: psycopg.Connection[Any], projection: str, interval: float = 0.5):
        self._conn, self._interval, self._last = conn, interval, 0.0
        self.rebuild_id = str(uuid.uuid4())
        # Holding the claim proves no other run is alive: a row left `running` was interrupted.
        conn.execute(
            "UPDATE projection_rebuilds SET state = 'failed', finished_at = now(),"
            " reason = 'interrupted: the service stopped during the rebuild'"
            " WHERE projection = %s AND state = 'running'",
            (projection,),
        )
        conn.execute(
            "INSERT INTO projection_rebuilds (rebuild_id, projection, state) "
            "VALUES (%s, %s, 'running')",
            (self.rebuild_id, projection),
        )

    def progress(self, read: int, applied: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last >= self._interval or read == total:
            self._last = now
            self._conn.execute(
                "UPDATE projection_rebuilds SET events_read = %s, events_applied = %s,"
                " events_total = %s WHERE rebuild_id = %s",
                (read, applied, total, self.rebuild_id),
            )

    def finish(self, applied: int) -> None:
        self._conn.execute(
            "UPDATE projection_rebuilds SET state = 'finished', finished_at = now(),"
            " events_applied = %s, events_read = COALESCE(events_total, events_read)"
            " WHERE rebuild_id = %s",
            (applied, self.rebuild_id),
        )

    def fail(self, reason: str) -> None:
        self._conn.execute(
            "UPDATE projection_rebuilds SET state = 'failed', finished_at = now(), reason = %s"
            " WHERE rebuild_id = %s",
            (reason, self.rebuild_id),
        )


def latest_rebuild(conn: psycopg.Connection[Any], projection: str) -> dict[str, Any] | None:
    """The projection's latest rebuild: state (running, finished, failed, interrupted), events
    read of total, applied, when it started and finished, and why it failed."""
    row = conn.execute(
        """
        SELECT rebuild_id::text, state, events_read, events_applied, events_total,
               started_at, finished_at, reason,
               EXISTS (
                   SELECT 1 FROM pg_locks l
                   WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                     AND l.database = (SELECT oid FROM pg_database
                                       WHERE datname = current_database())
                     AND ((l.classid::bigint << 32) | l.objid::bigint)
                         = hashtextextended(r.projection, %s)
               ) AS claimed
        FROM projection_rebuilds r WHERE projection = %s
        ORDER BY started_at DESC LIMIT 1
        """,
        (_CLAIM_SEED, projection),
    ).fetchone()
    if row is None:
        return None
    rebuild_id, state, read, applied, total, started, finished, reason, claimed = row
    if state == "running" and not claimed:
        state = "interrupted"
    return {
        "id": rebuild_id,
        "state": state,
        "read": read,
        "applied": applied,
        "total": total,
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat() if finished else None,
        "reason": reason,
    }
