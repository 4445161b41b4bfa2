"""Group commit on real PostgreSQL: appends coalesced into one transaction keep the guarantees
of one append each; whatever fails in a batch fails alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp.v1.envelope_pb2 import EventEnvelope, TraceContext
from snp_platform.eventstore import (
    ANY_VERSION,
    NO_STREAM,
    ConcurrencyError,
    EventStore,
    NewEvent,
    RecordedEvent,
    Stream,
)
from snp_platform.eventstore.group_commit import GroupCommitAppender
from snp_platform.eventstore.store import NOTIFY_CHANNEL
from snp_platform.eventstore.typed import TypedStreams
from tests.integration.test_event_store import META, a_stream, events, tail_everything

pytestmark = pytest.mark.integration
Then = Callable[[psycopg.Connection[Any], list[RecordedEvent]], None]


@pytest.fixture
def appender(pool: ConnectionPool[Any]) -> Iterator[GroupCommitAppender]:
    with GroupCommitAppender(pool, window=0.002) as opened:
        yield opened


class HeldBatch:
    """Holds the appender's flush inside a first append's transaction (its `then` waits), so
    the appends submitted meanwhile are all queued and coalesced into the next batch."""

    def __init__(self, appender: GroupCommitAppender) -> None:
        self.appender = appender
        self.inside, self.release = threading.Event(), threading.Event()

    def __enter__(self) -> HeldBatch:
        def hold(_conn: psycopg.Connection[Any], _recorded: list[RecordedEvent]) -> None:
            self.inside.set()
            self.release.wait(10)

        self._first = threading.Thread(
            target=self.appender.append,
            args=(a_stream(), events(1), NO_STREAM, META),
            kwargs={"then": hold},
        )
        self._first.start()
        assert self.inside.wait(10)
        return self

    def queued(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while len(self.appender._coalescer._queue) < count:
            assert time.monotonic() < deadline, "the appends never queued"
            time.sleep(0.002)

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self._first.join(10)


def in_threads(
    appender: GroupCommitAppender,
    appends: Sequence[tuple[Stream, list[NewEvent], int, Then | None]],
    held: HeldBatch,
) -> list[Any]:
    """Submit every append from its own thread while the flush is held; each one's outcome."""
    outcomes: list[Any] = [None] * len(appends)

    def one(i: int) -> None:
        stream, new, expected, then = appends[i]
        try:
            outcomes[i] = appender.append(stream, new, expected, META, then=then)
        except Exception as error:
            outcomes[i] = error

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(appends))]
    for thread in threads:
        thread.start()
    held.queued(len(appends))
    held.release.set()
    for thread in threads:
        thread.join(10)
    return outcomes


def transactions_of(pool: ConnectionPool[Any], streams: Sequence[Stream]) -> set[str]:
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT DISTINCT xmin::text FROM events WHERE stream_id = ANY(%s)",
            ([s.stream_id for s in streams],),
        ).fetchall()
    return {row[0] for row in rows}


def test_one_conflict_in_a_coalesced_batch_fails_that_append_alone(
    pool: ConnectionPool[Any], appender: GroupCommitAppender
) -> None:
    store = EventStore(pool)
    streams = [a_stream() for _ in range(5)]
    store.append(streams[2], events(1), NO_STREAM, META)  # so NO_STREAM is stale for this one
    with HeldBatch(appender) as held:
        outcomes = in_threads(appender, [(s, events(2), NO_STREAM, None) for s in streams], held)

    assert 5 in appender.batch_sizes  # the five went in one batch
    conflict = outcomes[2]
    assert isinstance(conflict, ConcurrencyError)
    assert (conflict.expected_version, conflict.actual_version) == (0, 1)
    fine = [streams[i] for i in (0, 1, 3, 4)]
    for i in (0, 1, 3, 4):
        assert [e.stream_version for e in outcomes[i]] == [1, 2]
        assert store.load(streams[i]) == outcomes[i]
    assert len(store.load(streams[2])) == 1
    assert len(transactions_of(pool, fine)) == 1  # one transaction, so one commit and one fsync


def test_appends_to_one_stream_in_one_batch_are_checked_in_the_order_they_came(
    pool: ConnectionPool[Any], appender: GroupCommitAppender
) -> None:
    stream, other = a_stream(), a_stream()
    with HeldBatch(appender) as held:
        first = in_threads(appender, [(stream, events(1), NO_STREAM, None)], held)
    assert [e.stream_version for e in first[0]] == [1]
    with HeldBatch(appender) as held:
        outcomes = in_threads(
            appender,
            [(stream, events(2), 1, None), (other, events(1), ANY_VERSION, None)],
            held,
        )
    assert [e.stream_version for e in outcomes[0]] == [2, 3]
    assert [e.stream_version for e in outcomes[1]] == [1]
    # The next round of one stream sees the round before it (same transaction).
    with HeldBatch(appender) as held:
        outcomes = in_threads(
            appender, [(stream, events(1), 3, None), (stream, events(1), 3, None)], held
        )
    refused = [o for o in outcomes if isinstance(o, ConcurrencyError)]
    # Whichever came second found the stream at 4, and only it was refused.
    assert [(o.expected_version, o.actual_version) for o in refused] == [(3, 4)]
    assert sum(isinstance(o, list) for o in outcomes) == 1
    assert [e.stream_version for e in EventStore(pool).load(stream)] == [1, 2, 3, 4]


def test_a_duplicate_event_id_in_a_batch_fails_that_append_alone(
    pool: ConnectionPool[Any], appender: GroupCommitAppender
) -> None:
    store = EventStore(pool)
    taken = NewEvent("test.Happened", b"x")
    store.append(a_stream(), [taken], NO_STREAM, META)
    streams = [a_stream() for _ in range(3)]
    with HeldBatch(appender) as held:
        outcomes = in_threads(
            appender,
            [
                (streams[0], events(1), NO_STREAM, None),
                (streams[1], [taken], NO_STREAM, None),
                (streams[2], events(1), NO_STREAM, None),
            ],
            held,
        )
    assert isinstance(outcomes[1], psycopg.errors.UniqueViolation)
    assert store.load(streams[1]) == []
    assert [len(store.load(s)) for s in (streams[0], streams[2])] == [1, 1]
    assert 3 in appender.batch_sizes  # one batch, retried append by append in savepoints


def test_a_then_applies_in_the_appends_transaction_and_one_that_fails_undoes_its_append_alone(
    pool: ConnectionPool[Any], appender: GroupCommitAppender
) -> None:
    with pool.connection() as conn:
        conn.execute("CREATE TABLE seen (stream_id text, position bigint)")

    def project(conn: psycopg.Connection[Any], recorded: list[RecordedEvent]) -> None:
        for event in recorded:
            conn.execute(
                "INSERT INTO seen VALUES (%s, %s)", (event.stream.stream_id, event.position)
            )

    def refuse(conn: psycopg.Connection[Any], recorded: list[RecordedEvent]) -> None:
        project(conn, recorded)
        raise RuntimeError("the read model refused")

    streams = [a_stream() for _ in range(3)]
    with HeldBatch(appender) as held:
        outcomes = in_threads(
            appender,
            [
                (streams[0], events(2), NO_STREAM, project),
                (streams[1], events(1), NO_STREAM, refuse),
                (streams[2], events(1), NO_STREAM, None),
            ],
            held,
        )
    assert isinstance(outcomes[1], RuntimeError)
    store = EventStore(pool)
    assert store.load(streams[1]) == []
    with pool.connection() as conn:
        seen = conn.execute("SELECT stream_id, position FROM seen ORDER BY position").fetchall()
    assert seen == [(streams[0].stream_id, e.position) for e in outcomes[0]]
    assert [len(store.load(s)) for s in (streams[0], streams[2])] == [2, 1]


def test_a_batch_notifies_the_relay_once_it_commits(
    pool: ConnectionPool[Any], appender: GroupCommitAppender, database_url: str
) -> None:
    with psycopg.connect(database_url, autocommit=True) as listener:
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        with HeldBatch(appender) as held:
            assert list(listener.notifies(timeout=0.3, stop_after=1)) == []  # not committed yet
            outcomes = in_threads(
                appender, [(a_stream(), events(1), NO_STREAM, None) for _ in range(3)], held
            )
        got = list(listener.notifies(timeout=5, stop_after=1))
    # The held batch's and the coalesced batch's may arrive together (stop_after takes both).
    assert got and {n.channel for n in got} == {NOTIFY_CHANNEL}
    assert all(isinstance(o, list) for o in outcomes)


def test_a_held_batch_keeps_the_lock_so_the_tail_never_passes_it(
    pool: ConnectionPool[Any], appender: GroupCommitAppender
) -> None:
    """The slow writer is a whole batch: a plain append behind it waits, and the tail sees the
    batch's events before the later append's, none skipped."""
    store = EventStore(pool)
    checkpoint = store.last_position()
    fast = a_stream()
    fast_done = threading.Event()

    def fast_writer() -> None:
        store.append(fast, events(2), NO_STREAM, META)
        fast_done.set()

    with HeldBatch(appender):
        later = threading.Thread(target=fast_writer)
        later.start()
        assert not fast_done.wait(0.5), "a plain append must wait for the batch to commit"
        assert store.read_after(checkpoint) == []
    later.join(10)
    seen = tail_everything(store, after=checkpoint)
    assert len(seen) == 3 and [e.stream.stream_id for e in seen[1:]] == [fast.stream_id] * 2


class SeenRows:
    """A read model of one table: a row per event applied."""

    def apply(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        conn.execute(
            "INSERT INTO seen VALUES (%s, %s)", (envelope.stream_id, envelope.stream_version)
        )


def test_typed_streams_with_an_appender_group_their_own_appends_but_not_a_callers(
    pool: ConnectionPool[Any], appender: GroupCommitAppender
) -> None:
    with pool.connection() as conn:
        conn.execute("CREATE TABLE seen (stream_id text, version bigint)")
    streams = TypedStreams(
        EventStore(pool),
        lambda m: f"test.{m.DESCRIPTOR.name}",
        lambda _t, payload: TraceContext.FromString(payload),
        1,
        service="test",
        read_model=SeenRows(),
        appender=appender,
    )
    own = [a_stream() for _ in range(3)]
    message = TraceContext(traceparent="00-ab-cd-01")
    with HeldBatch(appender) as held:
        threads = [
            threading.Thread(target=streams.append, args=(s, [message, message], NO_STREAM, META))
            for s in own
        ]
        for thread in threads:
            thread.start()
        held.queued(3)
    for thread in threads:
        thread.join(10)
    assert 3 in appender.batch_sizes  # the three own appends were committed together
    callers = a_stream()
    with pool.connection() as conn:
        conn.execute("SELECT 1")  # the caller's transaction is open, as after a handler's reads
        streams.append(callers, [message], NO_STREAM, META, conn=conn)
        conn.rollback()  # the caller's transaction decides: its append goes with it
    with pool.connection() as conn:
        seen = conn.execute("SELECT stream_id, version FROM seen ORDER BY 1, 2").fetchall()
    assert sorted(seen) == sorted((s.stream_id, v) for s in own for v in (1, 2))
    assert [len(EventStore(pool).load(s)) for s in own] == [2, 2, 2]
    assert EventStore(pool).load(callers) == []
