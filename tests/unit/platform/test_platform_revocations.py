"""The in-memory revocation list: refuses old tokens of listed accounts, fails closed when stale."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from snp_platform.revocations import RevocationList, RevocationsUnavailable

REVOKED_AT = datetime(2026, 11, 21, 12, 0, 0, 500_000, tzinfo=UTC)


class _Rows:
    def __init__(self, rows: list[tuple[str, str, datetime]]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple[str, str, datetime]]:
        return self._rows


class _Connection:
    def __init__(self, source: _Pool) -> None:
        self._source = source

    def execute(self, _query: str) -> _Rows:
        self._source.reloads += 1
        if self._source.down:
            raise psycopg.OperationalError("server closed the connection")
        return _Rows(self._source.rows)


class _Pool:
    """Just enough of a psycopg pool to feed the list (the table itself is tested on PostgreSQL
    in tests/integration/test_identity_access_revocation.py)."""

    def __init__(self) -> None:
        self.rows = [("met", "acct-1", REVOKED_AT)]
        self.down = False
        self.reloads = 0

    @contextmanager
    def connection(self, timeout: float | None = None) -> Any:
        yield _Connection(self)


def test_tokens_issued_up_to_the_revocation_are_refused_later_ones_honoured() -> None:
    revocations = RevocationList(_Pool())  # type: ignore[arg-type]
    same_second = REVOKED_AT.replace(microsecond=0)  # a token from before millisecond iat
    assert revocations.is_revoked("met", "acct-1", same_second - timedelta(minutes=5))
    assert revocations.is_revoked("met", "acct-1", same_second)
    assert revocations.is_revoked("met", "acct-1", REVOKED_AT)
    # A sign-in a millisecond after the revocation, in the same second, is honoured.
    assert not revocations.is_revoked("met", "acct-1", REVOKED_AT + timedelta(milliseconds=1))
    assert not revocations.is_revoked("met", "acct-1", same_second + timedelta(seconds=1))
    assert not revocations.is_revoked("met", "acct-2", same_second)
    assert not revocations.is_revoked("kent", "acct-1", same_second)  # tenants never mix


def test_the_list_is_reloaded_only_after_its_refresh_interval(monkeypatch: Any) -> None:
    clock = [1000.0]
    monkeypatch.setattr("snp_platform.revocations.time.monotonic", lambda: clock[0])
    pool = _Pool()
    revocations = RevocationList(pool, refresh_seconds=10)  # type: ignore[arg-type]
    revocations.is_revoked("met", "acct-9", REVOKED_AT)
    pool.rows.append(("met", "acct-9", REVOKED_AT))
    clock[0] += 5
    assert not revocations.is_revoked("met", "acct-9", REVOKED_AT)
    assert pool.reloads == 1
    clock[0] += 5
    assert revocations.is_revoked("met", "acct-9", REVOKED_AT)


def test_a_database_blip_keeps_the_list_but_a_long_outage_fails_closed(monkeypatch: Any) -> None:
    clock = [1000.0]
    monkeypatch.setattr("snp_platform.revocations.time.monotonic", lambda: clock[0])
    pool = _Pool()
    revocations = RevocationList(pool, refresh_seconds=10, max_staleness=45)  # type: ignore[arg-type]
    assert revocations.is_revoked("met", "acct-1", REVOKED_AT)
    pool.down = True
    clock[0] += 30
    assert revocations.is_revoked("met", "acct-1", REVOKED_AT)  # the list from 30 s ago serves
    clock[0] += 20
    with pytest.raises(RevocationsUnavailable):
        revocations.is_revoked("met", "acct-2", REVOKED_AT)


def test_no_list_ever_loaded_fails_closed() -> None:
    pool = _Pool()
    pool.down = True
    with pytest.raises(RevocationsUnavailable):
        RevocationList(pool).is_revoked("met", "acct-2", REVOKED_AT)  # type: ignore[arg-type]
