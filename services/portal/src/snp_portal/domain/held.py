"""Secrets a page shows once, held for its session between a post and the page it redirects to
(Post/Redirect/Get): a new authenticator's secret until its first code, recovery codes until
they are shown, their download until it is taken. In this process's memory only, never in the
database or a cookie, and for a few minutes at most (like the pending sign-in, see pending.py)."""

from __future__ import annotations

import threading
import time
from typing import Any

HELD_SECONDS = 600.0


class HeldForSessions:
    def __init__(self, ttl: float = HELD_SECONDS) -> None:
        self._ttl = ttl
        self._held: dict[tuple[str, str], tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def put(self, session_id: str, what: str, value: Any) -> None:
        with self._lock:
            self._sweep()
            self._held[(session_id, what)] = (time.monotonic() + self._ttl, value)

    def get(self, session_id: str, what: str) -> Any:
        with self._lock:
            self._sweep()
            found = self._held.get((session_id, what))
            return None if found is None else found[1]

    def take(self, session_id: str, what: str) -> Any:
        """The value, once: it is gone afterwards."""
        with self._lock:
            self._sweep()
            found = self._held.pop((session_id, what), None)
            return None if found is None else found[1]

    def drop_session(self, session_id: str) -> None:
        with self._lock:
            for key in [k for k in self._held if k[0] == session_id]:
                del self._held[key]

    def _sweep(self) -> None:
        now = time.monotonic()
        for key in [k for k, (until, _) in self._held.items() if until < now]:
            del self._held[key]
