"""One suite, two event stores: what every caller relies on, checked on PostgreSQL and on the
in-memory fake, so a unit test that passes over the fake means what it would mean over the real
store. The postgres variant starts the local stack (integration); the memory variant needs none.

Left to tests/integration/test_event_store.py: what only PostgreSQL has (the append lock that keeps
a tail from passing a late commit, the append-only triggers, appending in a caller's
transaction). TypedStreams' read model, which needs that transaction, is checked on PostgreSQL
here, and the fake is checked to refuse it before recording anything.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import psycopg
import pytest
from google.protobuf.message import Message
from psycopg_pool import ConnectionPool

from snp.identity.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_identity.domain.events import event_type, parse_event
from snp_platform.eventstore import (
    ANY_VERSION,
    NO_STREAM,
    ConcurrencyError,
    EventMetadata,
    EventStore,
    NewEvent,
    RecordedEvent,
    Stream,
)
from snp_platform.eventstore.typed import TypedStreams
from snp_platform.testing import MemoryEventStore, NoDatabase

META = EventMetadata(
    actor="account-1",
    correlation_id="corr-1",
    causation_id="cause-1",
    traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    tracestate="vendor=1",
)
OTHER_META = EventMetadata(actor="service:test")


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.integration), "memory"])
def store(request: pytest.FixtureRequest) -> EventStore:
    if request.param == "postgres":
        return EventStore(request.getfixturevalue("pool"))
    return MemoryEventStore()


def events(n: int, kind: str = "test.Happened") -> list[NewEvent]:
    return [NewEvent(kind, f"payload-{i}".encode()) for i in range(n)]


def a_stream(tenant: str = "met") -> Stream:
    return Stream(tenant, f"thing:{uuid.uuid4()}")


def tail(store: EventStore, after: int = 0, page: int = 3) -> list[RecordedEvent]:
    seen: list[RecordedEvent] = []
    while batch := store.read_after(after, page):
        assert len(batch) <= page
        seen.extend(batch)
        after = batch[-1].position
    return seen


# --- append and load ---


def test_append_then_load_round_trips_every_field(store: EventStore) -> None:
    stream = a_stream()
    first = store.append(stream, [NewEvent("test.Opened", b"\x00\xffbytes", 3)], NO_STREAM, META)
    second = store.append(stream, events(2, "test.Changed"), 1, OTHER_META)

    loaded = store.load(stream)
    assert [e.stream_version for e in loaded] == [1, 2, 3]
    assert [e.event_id for e in loaded] == [e.event_id for e in first + second]
    assert [e.position for e in loaded] == [e.position for e in first + second]
    assert [e.event_type for e in loaded] == ["test.Opened", "test.Changed", "test.Changed"]
    assert [e.payload for e in loaded] == [b"\x00\xffbytes", b"payload-0", b"payload-1"]
    assert [e.schema_version for e in loaded] == [3, 1, 1]
    assert [e.metadata for e in loaded] == [META, OTHER_META, OTHER_META]
    assert all(e.stream == stream for e in loaded)
    assert [e.occurred_at for e in loaded] == [e.occurred_at for e in first + second]
    assert [e.recorded_at for e in loaded] == [e.recorded_at for e in first + second]
    assert second[0].recorded_at == second[1].recorded_at  # one append, one moment
    assert all(e.recorded_at.tzinfo is not None for e in loaded)


def test_append_returns_the_events_as_recorded(store: EventStore) -> None:
    stream = a_stream()
    new = events(3)
    recorded = store.append(stream, new, NO_STREAM, META)
    assert [(r.event_id, r.event_type, r.payload) for r in recorded] == [
        (n.event_id, n.event_type, n.payload) for n in new
    ]
    assert [r.stream_version for r in recorded] == [1, 2, 3]
    assert recorded[0].position < recorded[1].position < recorded[2].position
    assert store.last_position() == recorded[-1].position


def test_load_after_a_version_and_of_an_unknown_stream(store: EventStore) -> None:
    stream = a_stream()
    store.append(stream, events(4), NO_STREAM, META)
    assert [e.stream_version for e in store.load(stream, after_version=2)] == [3, 4]
    assert store.load(stream, after_version=4) == []
    assert store.load(a_stream()) == []


def test_an_empty_append_is_refused(store: EventStore) -> None:
    with pytest.raises(ValueError, match="at least one event"):
        store.append(a_stream(), [], NO_STREAM, META)


def test_an_envelope_from_a_loaded_event_carries_its_metadata(store: EventStore) -> None:
    stream = a_stream("city-of-london")
    store.append(stream, events(1), NO_STREAM, META)
    [loaded] = store.load(stream)
    envelope = loaded.to_envelope("identity")
    assert (envelope.tenant, envelope.stream_id, envelope.stream_version) == (
        "city-of-london",
        stream.stream_id,
        1,
    )
    assert (envelope.actor, envelope.correlation_id, envelope.causation_id) == (
        "account-1",
        "corr-1",
        "cause-1",
    )
    assert envelope.trace_context.traceparent == META.traceparent
    assert envelope.source_service == "identity" and envelope.event_id == loaded.event_id


# --- optimistic concurrency ---


@pytest.mark.parametrize("expected", [NO_STREAM, 1, 3, -2])
def test_a_wrong_expected_version_raises_and_records_nothing(
    store: EventStore, expected: int
) -> None:
    stream = a_stream()
    store.append(stream, events(2), NO_STREAM, META)
    before = store.last_position()
    with pytest.raises(ConcurrencyError) as raised:
        store.append(stream, events(3), expected, META)
    assert (raised.value.expected_version, raised.value.actual_version) == (expected, 2)
    assert raised.value.stream == stream
    assert [e.stream_version for e in store.load(stream)] == [1, 2]
    assert store.last_position() == before
    assert store.read_after(before) == []


def test_an_expected_version_on_a_stream_that_does_not_exist(store: EventStore) -> None:
    with pytest.raises(ConcurrencyError) as raised:
        store.append(a_stream(), events(1), 1, META)
    assert (raised.value.expected_version, raised.value.actual_version) == (1, 0)


def test_any_version_appends_to_new_and_existing_streams(store: EventStore) -> None:
    stream = a_stream()
    assert [e.stream_version for e in store.append(stream, events(1), ANY_VERSION, META)] == [1]
    assert [e.stream_version for e in store.append(stream, events(2), ANY_VERSION, META)] == [2, 3]
    store.append(stream, events(1), 3, META)  # versions carry on as usual afterwards
    assert len(store.load(stream)) == 4


def test_two_writers_at_one_version_one_wins(store: EventStore) -> None:
    stream = a_stream()
    store.append(stream, events(1), NO_STREAM, META)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def write() -> None:
        barrier.wait()
        try:
            store.append(stream, events(2), 1, META)
            outcomes.append("ok")
        except ConcurrencyError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert [e.stream_version for e in store.load(stream)] == [1, 2, 3]


# --- tenants ---


def test_a_stream_belongs_to_its_tenant(store: EventStore) -> None:
    stream = a_stream("met")
    store.append(stream, events(1), NO_STREAM, META)
    elsewhere = Stream("city-of-london", stream.stream_id)
    assert store.load(elsewhere) == []
    for expected in (ANY_VERSION, 1, NO_STREAM):  # refused before any version check
        with pytest.raises(ValueError, match="another tenant"):
            store.append(elsewhere, events(1), expected, META)
    assert len(store.load(stream)) == 1


# --- event ids and the table's checks ---


def test_a_duplicate_event_id_is_refused_and_its_batch_with_it(store: EventStore) -> None:
    event = NewEvent("test.Happened", b"x")
    store.append(a_stream(), [event], NO_STREAM, META)
    before = store.last_position()
    other = a_stream()
    with pytest.raises(psycopg.errors.UniqueViolation):
        store.append(other, [*events(2), event], NO_STREAM, META)
    with pytest.raises(psycopg.errors.UniqueViolation):  # the same uuid, written otherwise
        store.append(other, [NewEvent("t", b"", event_id=event.event_id.upper())], 0, META)
    twice = NewEvent("test.Happened", b"y")
    with pytest.raises(psycopg.errors.UniqueViolation):
        store.append(other, [twice, twice], NO_STREAM, META)
    assert store.load(other) == []
    assert store.last_position() == before
    store.append(other, events(1), NO_STREAM, META)  # the stream is still at version 0


def test_event_ids_are_uuids_read_back_in_their_canonical_form(store: EventStore) -> None:
    stream = a_stream()
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        store.append(stream, [NewEvent("t", b"", event_id="not-a-uuid")], NO_STREAM, META)
    shouted = str(uuid.uuid4()).upper()
    [recorded] = store.append(stream, [NewEvent("t", b"", event_id=shouted)], NO_STREAM, META)
    assert recorded.event_id == shouted
    assert store.load(stream)[0].event_id == shouted.lower()


@pytest.mark.parametrize(
    ("stream", "event"),
    [
        (Stream("met", "thing:x"), NewEvent("", b"")),
        (Stream("met", "thing:y"), NewEvent("t", b"", schema_version=0)),
        (Stream("", "thing:z"), NewEvent("t", b"")),
        (Stream("met", ""), NewEvent("t", b"")),
    ],
)
def test_the_tables_checks_refuse_empty_names(
    store: EventStore, stream: Stream, event: NewEvent
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        store.append(stream, [event], NO_STREAM, META)
    assert store.last_position() == 0


# --- positions and the tail ---


def test_positions_increase_in_commit_order_across_streams(store: EventStore) -> None:
    assert store.last_position() == 0
    assert store.read_after(0) == []
    a, b = a_stream(), a_stream()
    store.append(a, events(2), NO_STREAM, META)
    store.append(b, events(1), NO_STREAM, META)
    store.append(a, events(1), 2, META)
    seen = store.read_after(0)
    assert [(e.stream, e.stream_version) for e in seen] == [(a, 1), (a, 2), (b, 1), (a, 3)]
    positions = [e.position for e in seen]
    assert positions == sorted(positions) and len(set(positions)) == 4
    assert store.last_position() == positions[-1]
    assert store.read_after(store.last_position()) == []


def test_read_after_pages_through_everything_once(store: EventStore) -> None:
    streams = [a_stream() for _ in range(3)]
    for round_ in range(3):
        for stream in streams:
            store.append(stream, events(round_ + 1), ANY_VERSION, META)
    everything = store.read_after(0, 1000)
    assert len(everything) == 18
    assert [e.event_id for e in tail(store, page=4)] == [e.event_id for e in everything]
    middle = everything[7].position
    assert store.read_after(middle, 2) == everything[8:10]
    assert store.read_after(0, 0) == []
    assert store.read_after(-5, 1) == everything[:1]
    with pytest.raises(psycopg.DataError):
        store.read_after(0, -1)


# --- TypedStreams, the one way services record ---


def typed(store: EventStore, **kwargs: Any) -> TypedStreams:
    return TypedStreams(store, event_type, parse_event, 2, **kwargs)


def tenant_events(slug: str) -> list[Message]:
    return [pb.TenantRegistered(slug=slug, display_name=f"{slug} police")]


def test_typed_streams_append_and_load_messages(store: EventStore) -> None:
    streams = typed(store)
    stream = a_stream()
    assert streams.load(stream) == ([], 0)
    recorded = streams.append(stream, tenant_events("met"), NO_STREAM, META)
    assert [(e.event_type, e.schema_version) for e in recorded] == [
        ("identity.TenantRegistered", 2)
    ]
    grant = pb.RoleGranted(account_id="a1", role="police", granted_by="admin")
    streams.append(stream, [grant], 1, OTHER_META)
    messages, version = streams.load(stream)
    assert version == 2
    assert messages == [*tenant_events("met"), grant]
    assert [e.metadata for e in store.load(stream)] == [META, OTHER_META]


def test_typed_streams_keep_the_stores_concurrency_and_record_nothing_for_nothing(
    store: EventStore,
) -> None:
    streams = typed(store)
    stream = a_stream()
    streams.append(stream, tenant_events("met"), NO_STREAM, META)
    with pytest.raises(ConcurrencyError):
        streams.append(stream, tenant_events("met"), NO_STREAM, META)
    assert streams.append(stream, [], 7, META) == []  # nothing to record: no version check
    assert streams.load(stream)[1] == 1
    assert store.last_position() == store.load(stream)[-1].position


class SeenTable:
    """A read model writing each event's id into a table, in the transaction it is given."""

    def __init__(self, fail_on: str = "") -> None:
        self.fail_on = fail_on
        self.services: list[str] = []

    def apply(self, conn: psycopg.Connection[Any], envelope: EventEnvelope) -> None:
        if envelope.event_type == self.fail_on:
            raise RuntimeError("the read model refused the event")
        self.services.append(envelope.source_service)
        conn.execute(
            "INSERT INTO seen (event_id, stream_version) VALUES (%s, %s)",
            (envelope.event_id, envelope.stream_version),
        )


@pytest.fixture
def seen_pool(pool: ConnectionPool[Any]) -> ConnectionPool[Any]:
    with pool.connection() as conn:
        conn.execute("CREATE TABLE seen (event_id uuid PRIMARY KEY, stream_version int)")
    return pool


def seen_rows(pool: ConnectionPool[Any]) -> list[tuple[str, int]]:
    with pool.connection() as conn:
        rows = conn.execute("SELECT event_id::text, stream_version FROM seen ORDER BY 2").fetchall()
    return [(r[0], r[1]) for r in rows]


@pytest.mark.integration
def test_postgres_read_model_is_applied_in_the_appends_transaction(
    seen_pool: ConnectionPool[Any],
) -> None:
    store = EventStore(seen_pool)
    model = SeenTable()
    streams = typed(store, service="identity", read_model=model)
    stream = a_stream()
    recorded = streams.append(stream, tenant_events("met"), NO_STREAM, META)
    assert seen_rows(seen_pool) == [(recorded[0].event_id, 1)]
    assert model.services == ["identity"]

    failing = typed(store, service="identity", read_model=SeenTable(fail_on="identity.RoleGranted"))
    grant = pb.RoleGranted(account_id="a1", role="police", granted_by="admin")
    with pytest.raises(RuntimeError, match="refused"):
        failing.append(stream, [*tenant_events("x"), grant], 1, META)
    assert streams.load(stream)[1] == 1  # the events went with the read model's rows
    assert len(seen_rows(seen_pool)) == 1

    # In a caller's transaction that rolls back: the events and the rows go together.
    with seen_pool.connection() as conn, conn.transaction(force_rollback=True):
        streams.append(stream, [grant], 1, META, conn=conn)
        assert len(conn.execute("SELECT 1 FROM seen").fetchall()) == 2
    assert streams.load(stream)[1] == 1 and len(seen_rows(seen_pool)) == 1


def test_memory_store_refuses_a_read_model_before_recording_anything() -> None:
    store = MemoryEventStore()
    model = SeenTable()
    streams = typed(store, service="identity", read_model=model)
    with pytest.raises(NoDatabase):
        streams.append(a_stream(), tenant_events("met"), NO_STREAM, META)
    with pytest.raises(NoDatabase):  # nor joins a transaction it is handed
        store.append(a_stream(), events(1), NO_STREAM, META, conn=object())  # type: ignore[arg-type]
    with pytest.raises(NoDatabase):
        _ = store.pool
    assert store.last_position() == 0 and model.services == []
