"""A portal session: who is signed in (their tokens stay here), when it expires, its CSRF token."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


def new_secret() -> str:
    """A random, URL-safe 256-bit value (session ids and CSRF tokens)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Session:
    session_id: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    # Set once signed in; a session also exists before that, to carry the sign-in form's CSRF
    # token (the password between the two sign-in steps is never stored: see pending.py).
    access_token: str | None = None
    refresh_token: str | None = None
    access_expires_at: datetime | None = None
    tenant: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.refresh_token is not None

    def expired(self, now: datetime, idle: timedelta, absolute: timedelta) -> bool:
        return now - self.last_seen_at > idle or now - self.created_at > absolute

    def touched(self, now: datetime) -> Session:
        return replace(self, last_seen_at=now)


def start(now: datetime) -> Session:
    return Session(new_secret(), new_secret(), now, now)
