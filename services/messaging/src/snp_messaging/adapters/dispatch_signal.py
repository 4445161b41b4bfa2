"""Waking the dispatcher: a NOTIFY on `snp_deliveries` whenever deliveries become due (sent
with the transaction that made them so), a LISTEN in each dispatcher between rounds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from snp_platform.listening import Listener

CHANNEL = "snp_deliveries"


def wake_dispatchers(conn: psycopg.Connection[Any]) -> None:
    """Tell the dispatchers, when the caller's transaction commits, that deliveries are due."""
    conn.execute(f"NOTIFY {CHANNEL}")


@contextmanager
def listening(conninfo: str) -> Iterator[Callable[[float], None]]:
    """A wait(timeout) that returns when deliveries became due, or after the timeout (and
    reconnects after the database restarted)."""
    listener = Listener(conninfo, CHANNEL)
    try:
        yield listener.wait
    finally:
        listener.close()
