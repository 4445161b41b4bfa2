"""Session fixtures: one throwaway stack of real PostgreSQL, Kafka and OPA for the whole run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

from snp_platform.eventstore import create_platform_schema


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `leaves_history` run last, the one leaving the most events for the
    platform's consumers (`leaves_history(backlog=N)`) at the very end. Each leaves thousands of
    events on the session's shared stack, which every later projection rebuild replays from
    the start of its topics and every consumer (audit's hash chain above all) works through
    while other tests run. Only the run's speed depends on this order: each of those tests
    makes all it needs itself and passes alone or in any place."""

    def order(item: pytest.Item) -> tuple[bool, int]:
        marker = item.get_closest_marker("leaves_history")
        return marker is not None, int(marker.kwargs.get("backlog", 0)) if marker else 0

    items.sort(key=order)


@pytest.fixture(scope="session")
def trace_sink() -> Iterator[Any]:
    """Where the test stack's processes send their spans (OTLP/HTTP): tests read the traces."""
    from snp_stack.tracesink import TraceSink

    with TraceSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def stack(trace_sink: Any) -> Iterator[Any]:
    """The local stack, started once per test session on free ports (or the servers that
    DATABASE_URL, KAFKA_BOOTSTRAP and OPA_URL name), tracing to `trace_sink`."""
    from snp_stack.testing import throwaway_stack

    with throwaway_stack(env={**os.environ, **trace_sink.exporter_env()}) as running:
        yield running


@pytest.fixture
def database_url(stack: Any) -> Iterator[str]:
    """A fresh database with the platform schema, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(stack.database_url, dbname=name)
    create_platform_schema(url)
    yield url
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def pool(database_url: str) -> Iterator[ConnectionPool[Any]]:
    with ConnectionPool(database_url, min_size=1, max_size=6, open=True) as opened:
        yield opened
