"""Password hashing (argon2id) and the password rules of OWASP ASVS 4.0 section 2.1."""

from __future__ import annotations

import functools
import os
import re
import string
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import argon2
from argon2.exceptions import Argon2Error
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH, MAX_LENGTH = 12, 128  # ASVS 2.1.1 (at least 12) and 2.1.2 (more than 128 denied)
MIN_CONTEXT_WORD = 4  # shorter name fragments ("al", "bob") would refuse too many good passwords
MIN_DISTINCT = 4  # "aaaaaaaaaaaa" or "abababababab" is long but guessable at once
# Digits and punctuation people bolt onto a common password ("sunshine2024!") to pass a length rule.
_PADDING = string.digits + string.punctuation + string.whitespace
_WORD_SPLIT = re.compile(r"[\W_]+")


class PasswordHasher:
    """argon2id for stored passwords.

    The defaults are the OWASP Password Storage Cheat Sheet's argon2id minimum: m=19456 KiB
    (19 MiB), t=2, p=1. They are arguments so tests can use cheap ones and so that raising them
    makes `needs_rehash` flag every older hash, which sign-in then upgrades.
    """

    def __init__(
        self,
        memory_kib: int = 19456,
        iterations: int = 2,
        parallelism: int = 1,
        max_concurrent: int | None = None,
    ) -> None:
        # Each hash holds `memory_kib` while it runs, and glibc keeps freed memory in the arena of
        # the thread that used it: hashing on the API's 40 request threads would leave up to
        # 40 x 19 MiB resident. A few dedicated threads (one per CPU) do all the hashing, so a
        # burst of sign-ins queues instead of growing memory; CPU is the limit either way.
        self._workers = ThreadPoolExecutor(
            max_concurrent or os.cpu_count() or 2, thread_name_prefix="argon2"
        )
        self._hasher = argon2.PasswordHasher(
            time_cost=iterations,
            memory_cost=memory_kib,
            parallelism=parallelism,
            type=argon2.Type.ID,
        )
        # Hashed with the same parameters, so verifying against it costs what a real check does.
        self._dummy = self._hasher.hash("not a real password, for timing only")

    def hash(self, password: str) -> str:
        """The encoded argon2id hash (salt and parameters included) to store for `password`."""
        return self._workers.submit(self._hasher.hash, password).result()

    def verify(self, stored_hash: str, password: str) -> bool:
        """True only for the right password; a wrong one or a malformed hash gives False."""
        try:
            return self._workers.submit(self._hasher.verify, stored_hash, password).result()
        # Argon2Error covers a mismatch and a failed verification; ValueError a malformed hash,
        # a non-ASCII hash or a password with lone surrogates (possible from JSON escapes).
        except (Argon2Error, ValueError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """Whether `stored_hash` was made with other parameters (or is unreadable)."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except ValueError:
            return True

    def dummy_verify(self, password: str) -> None:
        """Spend a real verification's time when there is no such account, so that response
        times do not tell an attacker which accounts exist."""
        self.verify(self._dummy, password)


@functools.cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most frequent passwords from leaked sets, lower-case; loaded on
    # first use because most processes that import this module never check a new password.
    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"])


def _context_words(context: Sequence[str]) -> set[str]:
    words: set[str] = set()
    for value in context:
        value = value.strip().lower()
        if "@" in value:  # an email: its domain ("gmail") says nothing about this person
            value = value.rsplit("@", 1)[0]
        words.add(value)
        words.update(_WORD_SPLIT.split(value))  # "alex.smith", "Alex Smith": each part too
    return {w for w in words if len(w) >= MIN_CONTEXT_WORD}


def check_password(password: str, context: Sequence[str] = ()) -> list[str]:
    """Human-readable problems with a new password; empty when it is acceptable.

    `context` holds what an attacker would try first for this account (the email's local part,
    the display name). There are deliberately no composition rules (ASVS 2.1.9).
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"password must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"password must be at most {MAX_LENGTH} characters")
    try:
        password.encode()
    except UnicodeEncodeError:
        # Lone surrogates cannot be hashed (or typed); refuse rather than fail later.
        return [*problems, "password contains characters that are not valid text"]
    lowered = password.lower()
    core = lowered.strip(_PADDING)
    common = _common_passwords()
    if lowered in common or (core and core in common):
        problems.append("password is too common")
    elif len(set(lowered)) < MIN_DISTINCT:
        problems.append("password repeats too few different characters")
    if any(word in lowered for word in _context_words(context)):
        problems.append("password must not contain your name or email address")
    return problems
