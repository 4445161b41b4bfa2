"""The event store on real PostgreSQL: concurrency, append-only, a tail that never skips."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp_platform.eventstore import (
    ANY_VERSION,
    NO_STREAM,
    ConcurrencyError,
    EventMetadata,
    EventStore,
    NewEvent,
    Stream,
)
from snp_platform.eventstore.group_commit import GroupCommitAppender

pytestmark = pytest.mark.integration
META = EventMetadata(actor="account-1", correlation_id="corr-1", traceparent="00-ab-cd-01")
Append = Callable[[Stream, Sequence[NewEvent], int, EventMetadata], Any]


@pytest.fixture(params=["single", "group"])
def append(request: pytest.FixtureRequest, pool: ConnectionPool[Any]) -> Iterator[Append]:
    """Appends that own their transaction: one at a time, or through the group-commit appender
    (which must keep the same guarantees)."""
    if request.param == "single":
        yield EventStore(pool).append
        return
    with GroupCommitAppender(pool) as appender:
        yield appender.append


def events(n: int, kind: str = "test.Happened") -> list[NewEvent]:
    return [NewEvent(kind, f"payload-{i}".encode()) for i in range(n)]


def a_stream(tenant: str = "met") -> Stream:
    return Stream(tenant, str(uuid.uuid4()))


def test_append_then_load_returns_events_in_version_order(pool: ConnectionPool[Any]) -> None:
    store = EventStore(pool)
    stream = a_stream()
    first = store.append(stream, events(2), NO_STREAM, META)
    second = store.append(stream, events(1, "test.Other"), 2, META)

    loaded = store.load(stream)
    assert [e.stream_version for e in loaded] == [1, 2, 3]
    assert [e.event_id for e in loaded] == [e.event_id for e in first + second]
    assert loaded[2].event_type == "test.Other"
    assert loaded[0].payload == b"payload-0"
    assert loaded[0].metadata == META
    assert loaded[0].position < loaded[1].position < loaded[2].position


def test_stale_expected_version_raises_and_appends_nothing(pool: ConnectionPool[Any]) -> None:
    store = EventStore(pool)
    stream = a_stream()
    store.append(stream, events(1), NO_STREAM, META)
    with pytest.raises(ConcurrencyError) as raised:
        store.append(stream, events(1), NO_STREAM, META)
    assert (raised.value.expected_version, raised.value.actual_version) == (0, 1)
    assert len(store.load(stream)) == 1
    store.append(stream, events(1), ANY_VERSION, META)
    assert len(store.load(stream)) == 2


def test_store_is_scoped_by_tenant(pool: ConnectionPool[Any]) -> None:
    store = EventStore(pool)
    stream = a_stream("met")
    store.append(stream, events(1), NO_STREAM, META)
    assert store.load(Stream("city-of-london", stream.stream_id)) == []
    with pytest.raises(ValueError, match="another tenant"):
        store.append(Stream("city-of-london", stream.stream_id), events(1), ANY_VERSION, META)


def test_event_store_refuses_updates_deletes_and_truncate(
    pool: ConnectionPool[Any], database_url: str
) -> None:
    EventStore(pool).append(a_stream(), events(1), NO_STREAM, META)
    for statement in (
        "UPDATE events SET payload = 'x'",
        "DELETE FROM events",
        "TRUNCATE events",
    ):
        with (
            psycopg.connect(database_url) as conn,
            pytest.raises(psycopg.Error, match="append-only"),
        ):
            conn.execute(statement)
    assert EventStore(pool).last_position() >= 1


def test_duplicate_event_id_is_refused(pool: ConnectionPool[Any]) -> None:
    store = EventStore(pool)
    event = NewEvent("test.Happened", b"x")
    store.append(a_stream(), [event], NO_STREAM, META)
    with pytest.raises(psycopg.errors.UniqueViolation):
        store.append(a_stream(), [event], NO_STREAM, META)


def test_concurrent_large_batches_never_interleave_for_a_tail_reader(
    pool: ConnectionPool[Any], append: Append
) -> None:
    store = EventStore(pool)
    streams = [a_stream(), a_stream()]
    barrier = threading.Barrier(2)

    def write(stream: Stream) -> None:
        barrier.wait()
        append(stream, events(1000), NO_STREAM, META)

    threads = [threading.Thread(target=write, args=(s,)) for s in streams]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    seen = tail_everything(store)
    owners = [e.stream.stream_id for e in seen]
    assert len(owners) == 2000
    # Each writer's batch is one unbroken run of positions: exactly one switch between them.
    switches = sum(1 for a, b in itertools.pairwise(owners) if a != b)
    assert switches == 1


def test_tail_does_not_skip_a_slow_writer_that_commits_late(
    pool: ConnectionPool[Any], append: Append
) -> None:
    """T1 appends and waits; T2 appends and commits; the tail runs; T1 commits: both delivered."""
    store = EventStore(pool)
    checkpoint = store.last_position()
    slow, fast = a_stream(), a_stream()
    fast_done = threading.Event()

    with pool.connection() as t1, t1.transaction():
        store.append(slow, events(3), NO_STREAM, META, conn=t1)  # inside T1, not committed

        def fast_writer() -> None:
            append(fast, events(2), NO_STREAM, META)
            fast_done.set()

        t2 = threading.Thread(target=fast_writer)
        t2.start()
        assert not fast_done.wait(0.5), "T2 must wait for T1's append to commit"
        seen_meanwhile = store.read_after(checkpoint)
        checkpoint = max([checkpoint, *(e.position for e in seen_meanwhile)])
    # T1 has committed here.
    t2.join(10)
    assert fast_done.is_set()

    seen = seen_meanwhile + tail_everything(store, after=checkpoint)
    assert [e.stream.stream_id for e in seen] == [slow.stream_id] * 3 + [fast.stream_id] * 2


def test_without_the_append_lock_a_naive_tail_would_skip_the_slow_writer(
    database_url: str,
) -> None:
    """The hazard the lock prevents is real: plain inserts let a tail pass an uncommitted event."""
    row = (
        "INSERT INTO events (tenant, stream_id, stream_version, event_type, event_id,"
        " schema_version, occurred_at, payload, metadata)"
        " VALUES ('met', %s, 1, 't', %s, 1, now(), '', '{}') RETURNING position"
    )
    with psycopg.connect(database_url) as t1, psycopg.connect(database_url) as t2:
        slow_position = t1.execute(row, ("slow", uuid.uuid4())).fetchone()
        t2.execute(row, ("fast", uuid.uuid4()))
        t2.commit()
        with psycopg.connect(database_url) as reader:
            visible = reader.execute("SELECT max(position) FROM events").fetchone()
        t1.commit()
    assert slow_position is not None and visible is not None
    assert slow_position[0] < visible[0]  # a tail at `visible` has passed the slow event for good


def tail_everything(store: EventStore, after: int = 0) -> list[Any]:
    seen = []
    while batch := store.read_after(after, 250):
        seen.extend(batch)
        after = batch[-1].position
    return seen


def test_read_all_streams_every_event_in_position_order_as_the_tail_reads_it(
    pool: ConnectionPool[Any],
) -> None:
    store = EventStore(pool)
    for _ in range(3):
        store.append(a_stream(), events(4), NO_STREAM, META)
    streamed = list(store.read_all(batch_size=5))  # several fetches of the server-side cursor
    positions = [e.position for e in streamed]
    assert positions == sorted(positions)
    assert len(positions) == len(set(positions)) == 12
    assert streamed == tail_everything(store)


def test_read_all_on_the_callers_connection_lets_it_write_between_events_and_keep_its_lock(
    pool: ConnectionPool[Any],
) -> None:
    store = EventStore(pool)
    store.append(a_stream(), events(3), NO_STREAM, META)
    with pool.connection() as conn, conn.transaction():
        conn.execute("LOCK TABLE events IN SHARE MODE")
        conn.execute("CREATE TEMP TABLE seen (event_id uuid) ON COMMIT DROP")
        for event in store.read_all(conn=conn, batch_size=2):
            conn.execute("INSERT INTO seen VALUES (%s)", (event.event_id,))
        seen = conn.execute("SELECT count(*) FROM seen").fetchone()
        total = conn.execute("SELECT count(*) FROM events").fetchone()
        held = conn.execute(
            "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() "
            "AND relation = 'events'::regclass"
        ).fetchall()
    assert seen is not None and total is not None and seen[0] == total[0] == 3
    assert ("ShareLock",) in held  # still the caller's one transaction
