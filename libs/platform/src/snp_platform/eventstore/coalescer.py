"""Coalescing concurrent calls into batches (no I/O here).

Callers `submit` an item and block; the first caller in the queue when no flush is running
leads: it takes what has queued, hands the batch to `flush` in its own thread, and gives
every caller of the batch its own outcome. Leading from a caller's thread, rather than from a
worker's, spares a lone caller two thread hand-offs an item (each a scheduler wake-up, which
costs milliseconds on a busy machine). The group-commit appender uses it to turn concurrent
appends into one transaction.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Pending(Generic[T, R]):
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item: T) -> None:
        self.item = item
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class Coalescer(Generic[T, R]):
    """Batches what callers submit: a batch closes when `max_batch` items wait, when as many
    wait as the largest of the last few batches held, or `window` seconds after its first
    item, whichever is first.

    Expecting as many as lately is what keeps a lone caller fast (its batches are of one, so
    it never waits for the window) while concurrent callers, whose batches grew while the
    previous flush ran, are gathered without waiting the whole window either. Remembering a
    few batches, not one, keeps a batch that closed early on a busy machine (a caller late for
    the window) from shrinking every batch after it.

    `flush(items)` returns one outcome per item, in order: a result, or the exception that
    item's caller gets. If `flush` itself raises, every caller of that batch gets the error.
    """

    def __init__(
        self,
        flush: Callable[[Sequence[T]], Sequence[R | BaseException]],
        *,
        window: float = 0.002,
        max_batch: int = 64,
    ) -> None:
        if max_batch < 1 or window < 0:
            raise ValueError("max_batch must be at least 1 and window not negative")
        self._flush, self._window, self._max_batch = flush, window, max_batch
        self._queue: deque[_Pending[T, R]] = deque()  # waiting, not yet taken into a batch
        self._changed = threading.Condition()
        self._flushing = False
        self._closed = False
        self._recent: deque[int] = deque([1], maxlen=8)
        self.batch_sizes: deque[int] = deque(maxlen=1000)  # the last flushes' sizes

    def submit(self, item: T) -> R:
        """Queue `item`, wait for its batch to be flushed (leading it, when first in line),
        and return its result (or raise its error)."""
        pending: _Pending[T, R] = _Pending(item)
        with self._changed:
            if self._closed:
                raise RuntimeError("the coalescer is closed")
            self._queue.append(pending)
            self._changed.notify_all()  # a leader gathering its batch counts the arrivals
            while not pending.done and (self._flushing or self._queue[0] is not pending):
                self._changed.wait()
            batch = None if pending.done else self._gather()
        if batch is not None:
            self._lead(batch)
        if pending.error is not None:
            raise pending.error
        return pending.result  # type: ignore[return-value]

    def close(self) -> None:
        """Refuse new items; those already queued are still flushed by their callers."""
        with self._changed:
            self._closed = True

    def _gather(self) -> list[_Pending[T, R]]:
        """The leader's batch (called holding the lock, with the leader first in the queue)."""
        deadline = time.monotonic() + self._window
        wanted = min(max(self._recent), self._max_batch)
        while len(self._queue) < wanted:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._changed.wait(remaining)
        size = min(len(self._queue), self._max_batch)
        self._flushing = True
        self._recent.append(size)
        self.batch_sizes.append(size)
        return [self._queue.popleft() for _ in range(size)]

    def _lead(self, batch: list[_Pending[T, R]]) -> None:
        try:
            outcomes = list(self._flush([p.item for p in batch]))
            if len(outcomes) != len(batch):
                raise RuntimeError(f"flush gave {len(outcomes)} outcomes for {len(batch)}")
        except BaseException as error:  # handed to every caller of the batch
            outcomes = [error] * len(batch)
        with self._changed:
            for pending, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    pending.error = outcome
                else:
                    pending.result = outcome
                pending.done = True
            self._flushing = False
            self._changed.notify_all()  # the batch's callers return; the next in line leads
