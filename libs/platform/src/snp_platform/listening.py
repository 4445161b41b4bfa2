"""Waiting for a PostgreSQL NOTIFY between rounds of work, on a connection of its own that
survives the server restarting: a lost connection is a wake-up (the round after it finds
whatever was notified meanwhile), and the next wait connects and LISTENs again."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import psycopg

from snp_platform.logging import get_logger

log = get_logger(__name__)


class Listener:
    """`wait(timeout)` returns when `channel` is notified, after `timeout`, or at once after
    the connection was lost (a missed NOTIFY is never waited for)."""

    def __init__(self, conninfo: str, channel: str) -> None:
        self._conninfo, self._channel = conninfo, channel
        self._conn: psycopg.Connection[Any] | None = None

    def wait(self, timeout: float) -> None:
        try:
            conn = self._connected()
            for _ in conn.notifies(timeout=timeout, stop_after=1):
                pass
        except psycopg.OperationalError as error:
            log.warning("listener_reconnecting", channel=self._channel, error=type(error).__name__)
            self.close()
            time.sleep(min(timeout, 1.0))  # the server is restarting: do not spin on it

    def _connected(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
            self._conn.execute(f"LISTEN {self._channel}")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
