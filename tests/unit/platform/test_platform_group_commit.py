"""The group-commit appender's coalescing, without a database: batches, bounds, the window, and
each caller getting its own outcome."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from snp_platform.eventstore import EventMetadata, NewEvent, Stream
from snp_platform.eventstore.coalescer import Coalescer
from snp_platform.eventstore.group_commit import _Append, rounds


class Recorder:
    """A flush that records its batches and can be held shut until released."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def __call__(self, items: Sequence[int]) -> list[int | BaseException]:
        self.batches.append(list(items))
        self.entered.set()
        self.release.wait(5)
        return [ValueError(f"odd {i}") if i % 2 else i * 10 for i in items]


def submit_all(coalescer: Coalescer[int, int], items: Sequence[int]) -> dict[int, object]:
    outcomes: dict[int, object] = {}

    def one(item: int) -> None:
        try:
            outcomes[item] = coalescer.submit(item)
        except ValueError as error:
            outcomes[item] = str(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    return outcomes


def wait_until_queued(coalescer: Coalescer[int, int], count: int) -> None:
    deadline = time.monotonic() + 5
    while len(coalescer._queue) < count and time.monotonic() < deadline:
        time.sleep(0.001)


def test_what_queues_during_a_flush_is_flushed_together_and_each_caller_gets_its_own_outcome() -> (
    None
):
    flush = Recorder()
    flush.release.clear()
    coalescer: Coalescer[int, int] = Coalescer(flush, window=0.5)
    first = threading.Thread(target=lambda: submit_all(coalescer, [0]))
    first.start()
    assert flush.entered.wait(5)  # the first item flushes alone, at once; the flush is held
    later = threading.Thread(target=lambda: outcomes.update(submit_all(coalescer, [1, 2, 3, 4])))
    outcomes: dict[int, object] = {}
    later.start()
    wait_until_queued(coalescer, 4)
    flush.release.set()
    first.join(5)
    later.join(5)
    coalescer.close()
    assert flush.batches[0] == [0]
    assert sorted(flush.batches[1]) == [1, 2, 3, 4] and len(flush.batches) == 2
    # One item's error goes to its caller alone; its neighbours get their results.
    assert outcomes == {1: "odd 1", 2: 20, 3: "odd 3", 4: 40}


def test_a_batch_never_holds_more_than_the_bound() -> None:
    flush = Recorder()
    flush.release.clear()
    coalescer: Coalescer[int, int] = Coalescer(flush, window=0.01, max_batch=3)
    held = threading.Thread(target=lambda: submit_all(coalescer, [100]))
    held.start()
    assert flush.entered.wait(5)
    rest = threading.Thread(target=lambda: submit_all(coalescer, [2, 4, 6, 8, 10, 12, 14]))
    rest.start()
    wait_until_queued(coalescer, 7)
    flush.release.set()
    held.join(5)
    rest.join(5)
    coalescer.close()
    assert [len(b) for b in flush.batches] == [1, 3, 3, 1]
    assert sorted(i for b in flush.batches for i in b) == [2, 4, 6, 8, 10, 12, 14, 100]


def test_a_lone_caller_does_not_wait_for_the_window() -> None:
    coalescer: Coalescer[int, int] = Coalescer(Recorder(), window=2.0)
    started = time.monotonic()
    for item in (2, 4, 6):
        assert coalescer.submit(item) == item * 10
    coalescer.close()
    assert time.monotonic() - started < 1.0  # three batches of one, none waiting 2 s


def test_after_a_batch_of_several_the_next_waits_for_as_many_within_the_window() -> None:
    flush = Recorder()
    flush.release.clear()
    coalescer: Coalescer[int, int] = Coalescer(flush, window=1.0)
    warm = threading.Thread(target=lambda: submit_all(coalescer, [0]))
    warm.start()
    assert flush.entered.wait(5)
    pair = threading.Thread(target=lambda: submit_all(coalescer, [2, 4]))
    pair.start()
    wait_until_queued(coalescer, 2)
    flush.release.set()
    warm.join(5)
    pair.join(5)  # a batch of two: the next expects two
    late = threading.Thread(target=lambda: submit_all(coalescer, [8]))
    late.start()
    time.sleep(0.2)  # well inside the window: 6 arrives after 8 and still joins its batch
    assert coalescer.submit(6) == 60
    late.join(5)
    coalescer.close()
    assert sorted(flush.batches[-1]) == [6, 8]


def test_a_flush_that_raises_fails_every_caller_of_its_batch_and_the_worker_goes_on() -> None:
    calls: list[Sequence[int]] = []

    def flush(items: Sequence[int]) -> list[int | BaseException]:
        calls.append(items)
        if len(calls) == 1:
            raise ConnectionError("server gone")
        return list(items)

    coalescer: Coalescer[int, int] = Coalescer(flush)
    with pytest.raises(ConnectionError, match="server gone"):
        coalescer.submit(1)
    assert coalescer.submit(2) == 2
    coalescer.close()


def test_a_closed_coalescer_refuses_new_items_after_flushing_the_queued() -> None:
    coalescer: Coalescer[int, int] = Coalescer(Recorder())
    assert coalescer.submit(2) == 20
    coalescer.close()
    with pytest.raises(RuntimeError, match="closed"):
        coalescer.submit(4)


def append_to(stream_id: str) -> _Append:
    return _Append(
        Stream("met", stream_id), [NewEvent("t.E", b"")], 0, EventMetadata(actor="a"), None
    )


def test_rounds_put_a_streams_later_appends_in_later_rounds_in_their_order() -> None:
    batch = [append_to(s) for s in ("a", "b", "a", "c", "a", "b")]
    assert rounds(batch) == [[0, 1, 3], [2, 5], [4]]
    # The store's stream ids are unique across tenants, so rounds key on the id alone.
    other_tenant = _Append(Stream("city", "a"), batch[0].events, 0, batch[0].metadata, None)
    assert rounds([batch[0], other_tenant]) == [[0], [1]]
