"""A sign-in waiting for its authenticator code: identity takes the password and the code in one
call, so the password is held between the two pages, in this process's memory only (never in a
database or a cookie) and for a few minutes at most."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

PENDING_SECONDS = 300.0


@dataclass(frozen=True)
class PendingSignIn:
    tenant: str
    email: str
    password: str
    until: float


class PendingSignIns:
    def __init__(self, ttl: float = PENDING_SECONDS) -> None:
        self._ttl = ttl
        self._by_session: dict[str, PendingSignIn] = {}
        self._lock = threading.Lock()

    def hold(self, session_id: str, tenant: str, email: str, password: str) -> None:
        with self._lock:
            self._sweep()
            until = time.monotonic() + self._ttl
            self._by_session[session_id] = PendingSignIn(tenant, email, password, until)

    def get(self, session_id: str) -> PendingSignIn | None:
        with self._lock:
            self._sweep()
            return self._by_session.get(session_id)

    def drop(self, session_id: str) -> None:
        with self._lock:
            self._by_session.pop(session_id, None)

    def _sweep(self) -> None:
        now = time.monotonic()
        for key in [k for k, v in self._by_session.items() if v.until < now]:
            del self._by_session[key]
