"""Password hashing (argon2id) and the password rules of OWASP ASVS 2.1."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH, MAX_LENGTH = 12, 128  # ASVS 2.1.1 and 2.1.2


class PasswordHasher:
    """argon2id with OWASP's recommended minimum (m=19 MiB, t=2, p=1; OWASP Password Storage
    Cheat Sheet). Parameters are arguments so tests can use cheap ones and upgrades rehash."""

    def __init__(self, memory_kib: int = 19456, iterations: int = 2, parallelism: int = 1) -> None:
        self._hasher = argon2.PasswordHasher(
            time_cost=iterations,
            memory_cost=memory_kib,
            parallelism=parallelism,
            type=argon2.Type.ID,
        )
        self._dummy = self._hasher.hash("not a real password, for timing only")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True only for the right password; a wrong one or a malformed hash is False."""
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    def dummy_verify(self, password: str) -> None:
        """Spend a real verification's time when there is no account (no timing oracle)."""
        self.verify(self._dummy, password)


@functools.cache
def _common_passwords() -> frozenset[str]:
    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def check_password(password: str, context: Sequence[str] = ()) -> list[str]:
    """What is wrong with a new password; no composition rules (ASVS 2.1.9)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"password must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"password must be at most {MAX_LENGTH} characters")
    if password.lower() in _common_passwords():
        problems.append("password is too common")
    lowered = password.lower()
    for word in context:
        if len(word) >= 4 and word.lower() in lowered:
            problems.append("password must not contain your name or email address")
            break
    return problems
