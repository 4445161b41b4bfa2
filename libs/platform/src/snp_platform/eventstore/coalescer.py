"""Coalescing concurrent calls into batches for one worker thread (no I/O here).

Callers `submit` an item and block; one worker thread takes what has queued, hands the batch
to `flush` and gives every caller its own outcome. The group-commit appender uses it to turn
concurrent appends into one transaction.
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
        self.done = threading.Event()
        self.result: R | None = None
        self.error: BaseException | None = None


class Coalescer(Generic[T, R]):
    """Batches what callers submit: a batch closes when `max_batch` items wait, when as many
    wait as the last batch held, or `window` seconds after its first item, whichever is first.

    Expecting as many as last time is what keeps a lone caller fast (its batches are of one,
    so it never waits for the window) while concurrent callers, whose batches grew while the
    previous flush ran, are gathered without waiting the whole window either.

    `flush(items)` returns one outcome per item, in order: a result, or the exception that
    item's caller gets. If `flush` itself raises, every caller of that batch gets the error.
    """

    def __init__(
        self,
        flush: Callable[[Sequence[T]], Sequence[R | BaseException]],
        *,
        window: float = 0.0015,
        max_batch: int = 64,
        name: str = "coalescer",
    ) -> None:
        if max_batch < 1 or window < 0:
            raise ValueError("max_batch must be at least 1 and window not negative")
        self._flush, self._window, self._max_batch = flush, window, max_batch
        self._queue: deque[_Pending[T, R]] = deque()
        self._wake = threading.Condition()
        self._closed = False
        self._expected = 1
        self.batch_sizes: deque[int] = deque(maxlen=1000)  # the last flushes' sizes
        self._worker = threading.Thread(target=self._run, name=name, daemon=True)
        self._worker.start()

    def submit(self, item: T) -> R:
        """Queue `item`, wait for its batch to be flushed, and return its result (or raise)."""
        pending: _Pending[T, R] = _Pending(item)
        with self._wake:
            if self._closed:
                raise RuntimeError("the coalescer is closed")
            self._queue.append(pending)
            self._wake.notify()
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.result  # type: ignore[return-value]

    def close(self) -> None:
        """Refuse new items, flush those already queued, and stop the worker."""
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._worker.join()

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                outcomes = list(self._flush([p.item for p in batch]))
                if len(outcomes) != len(batch):
                    raise RuntimeError(f"flush gave {len(outcomes)} outcomes for {len(batch)}")
            except BaseException as error:
                outcomes = [error] * len(batch)
            for pending, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    pending.error = outcome
                else:
                    pending.result = outcome
                pending.done.set()

    def _next_batch(self) -> list[_Pending[T, R]] | None:
        with self._wake:
            while not self._queue and not self._closed:
                self._wake.wait()
            if not self._queue:
                return None  # closed, and everything queued was flushed
            deadline = time.monotonic() + self._window
            wanted = min(self._expected, self._max_batch)
            while len(self._queue) < wanted and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._wake.wait(remaining)
            size = min(len(self._queue), self._max_batch)
            batch = [self._queue.popleft() for _ in range(size)]
        self._expected = size
        self.batch_sizes.append(size)
        return batch
