"""argon2id password hashing and the ASVS 2.1 password rules."""

from __future__ import annotations

import argon2
import pytest

from snp_identity.adapters.passwords import PasswordHasher, check_password

# Cheap parameters keep the suite fast; the defaults are checked once below.
CHEAP = {"memory_kib": 1024, "iterations": 1}
PASSPHRASE = "a long enough passphrase"


@pytest.fixture(scope="module")
def hasher() -> PasswordHasher:
    return PasswordHasher(**CHEAP)


def test_only_the_right_password_verifies(hasher: PasswordHasher) -> None:
    stored = hasher.hash(PASSPHRASE)
    assert stored.startswith("$argon2id$")
    assert PASSPHRASE not in stored
    assert hasher.verify(stored, PASSPHRASE)
    assert not hasher.verify(stored, "a long enough passphrasE")
    assert not hasher.verify(stored, "")
    assert hasher.hash(PASSPHRASE) != stored  # salted


@pytest.mark.parametrize(
    "stored", ["", "not a hash", "$argon2id$v=19$m=1024,t=1,p=1$garbage", "$2b$12$bcrypt", "é"]
)
def test_a_malformed_hash_is_a_failed_check_not_an_error(
    hasher: PasswordHasher, stored: str
) -> None:
    assert hasher.verify(stored, PASSPHRASE) is False


def test_a_password_that_is_not_valid_text_fails_without_raising(hasher: PasswordHasher) -> None:
    stored = hasher.hash(PASSPHRASE)
    assert hasher.verify(stored, "lone \ud800 surrogate") is False


def test_defaults_are_owasps_argon2id_parameters() -> None:
    stored = PasswordHasher().hash(PASSPHRASE)
    params = argon2.extract_parameters(stored)
    assert (params.type, params.memory_cost, params.time_cost, params.parallelism) == (
        argon2.Type.ID,
        19456,
        2,
        1,
    )


def test_rehash_is_flagged_when_parameters_change(hasher: PasswordHasher) -> None:
    stored = hasher.hash(PASSPHRASE)
    assert not hasher.needs_rehash(stored)
    assert PasswordHasher(memory_kib=2048, iterations=1).needs_rehash(stored)
    assert PasswordHasher(memory_kib=1024, iterations=2).needs_rehash(stored)
    assert hasher.needs_rehash("not a hash")


def test_dummy_verify_does_a_real_verification_with_the_same_parameters(
    hasher: PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    real_verify = argon2.PasswordHasher.verify

    def spy(self: argon2.PasswordHasher, stored: str | bytes, password: str | bytes) -> bool:
        verified.append(stored if isinstance(stored, str) else stored.decode())
        return real_verify(self, stored, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    hasher.dummy_verify(PASSPHRASE)  # returns nothing: only the time it takes matters
    assert len(verified) == 1
    # Same cost as checking a real account's hash: no timing difference for unknown accounts.
    assert argon2.extract_parameters(verified[0]) == argon2.extract_parameters(
        hasher.hash(PASSPHRASE)
    )


@pytest.mark.parametrize(
    ("candidate", "problem"),
    [
        ("eleven char", "at least 12"),
        ("x" * 64 + "y" * 65, "at most 128"),
        ("1qaz2wsx3edc", "too common"),
        ("Q1W2E3R4T5Y6", "too common"),  # case-insensitive
        ("Sunshine2024!", "too common"),  # a common password padded to length
        ("aaaaaaaaaaaaaaaa", "too few different"),
        ("abababababababab", "too few different"),
    ],
)
def test_weak_passwords_are_refused(candidate: str, problem: str) -> None:
    problems = check_password(candidate)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    "context",
    [
        ["alex.smith", "Jo Bloggs"],  # a part of the email's local part
        ["jo", "Alex Smith"],  # a word of the display name, whatever its case
        ["alex.smith@example.org"],  # a whole address: its local part counts
    ],
)
def test_passwords_containing_the_users_name_or_email_are_refused(context: list[str]) -> None:
    problems = check_password("my SMITH family garden", context)
    assert problems == ["password must not contain your name or email address"]


def test_short_context_words_and_email_domains_do_not_count() -> None:
    assert check_password("example of a garden path", ["al@example.org", "Al Bo"]) == []


@pytest.mark.parametrize(
    "candidate",
    [
        "correct horse battery staple",  # lower case only: no composition rules (ASVS 2.1.9)
        "729401836650",  # digits only
        "twelve chars",  # exactly the minimum
        ("correct horse battery staple " * 5)[:128],  # the maximum
        "пароль очень длинный",  # any Unicode (ASVS 2.1.4)
    ],
)
def test_acceptable_passwords_pass(candidate: str) -> None:
    assert check_password(candidate, ["alex.smith", "Alex Smith"]) == []


def test_a_password_that_is_not_valid_text_is_refused_with_a_reason() -> None:
    assert check_password("lone \ud800 surrogate here") == [
        "password contains characters that are not valid text"
    ]


def test_no_more_hashes_run_at_once_than_allowed() -> None:
    """Each argon2id run holds 19 MiB: a burst of sign-ins must queue, not stack up memory."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    hasher = PasswordHasher(memory_kib=1024, iterations=1, max_concurrent=2)
    inner, running, most = hasher._hasher, [0], [0]
    lock = threading.Lock()

    class Counting:
        def verify(self, stored: str, password: str) -> bool:
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.02)
            try:
                return inner.verify(stored, password)
            finally:
                with lock:
                    running[0] -= 1

    stored = hasher.hash("correct horse battery staple 42")
    hasher._hasher = Counting()  # type: ignore[assignment]
    with ThreadPoolExecutor(12) as pool:
        results = list(
            pool.map(lambda _: hasher.verify(stored, "correct horse battery staple 42"), range(24))
        )
    assert all(results)
    assert most[0] == 2
