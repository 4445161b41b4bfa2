"""A sign-in waiting for its authenticator code. Identity takes the password and the code in
one call, so the password is held between the two pages: sealed in the session's row, for a
few minutes at most, and dropped as soon as the sign-in ends either way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

PENDING_FOR = timedelta(minutes=5)


@dataclass(frozen=True)
class PendingSignIn:
    tenant: str
    email: str
    password: str
