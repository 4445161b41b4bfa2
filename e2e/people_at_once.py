"""Several people using the portal at once: each person's part runs in a thread of its own with
its own Playwright and its own Chromium (own profile, so own cookies), and they hand each other
what the other would learn in life (a group was founded, a request is waiting). When one person
fails, the others stop waiting at once and the first failure is the one reported."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from snp_stack import toolbox
from tests.integration.browser_pages import chromium

PATIENCE = 240.0  # seconds one person waits for another's step (the stack shares 2 cores)


class Abandoned(Exception):
    """Another person's part failed, so this one stopped waiting for them."""


class Handoff:
    """What the people have told each other so far, each thing once, by name."""

    def __init__(self) -> None:
        self._said: dict[str, Any] = {}
        self._failed: str | None = None
        self._changed = threading.Condition()

    def tell(self, what: str, value: Any = True) -> None:
        with self._changed:
            self._said[what] = value
            self._changed.notify_all()

    def wait_for(self, what: str, timeout: float = PATIENCE) -> Any:
        with self._changed:
            told = self._changed.wait_for(
                lambda: what in self._said or self._failed is not None, timeout
            )
            if self._failed is not None:
                raise Abandoned(f"{self._failed} failed before telling {what!r}")
            if not told:
                raise AssertionError(f"nobody told {what!r} within {timeout:.0f} s")
            return self._said[what]

    def give_up(self, who: str) -> None:
        with self._changed:
            self._failed = self._failed or who
            self._changed.notify_all()


def at_once(handoff: Handoff, **parts: Callable[[], None]) -> None:
    """Run every person's part concurrently; raise the first real failure among them."""

    def play(who: str, part: Callable[[], None]) -> None:
        try:
            part()
        except BaseException:
            handoff.give_up(who)
            raise

    with ThreadPoolExecutor(max_workers=len(parts), thread_name_prefix="person") as pool:
        running = {who: pool.submit(play, who, part) for who, part in parts.items()}
    failures = [(who, f.exception()) for who, f in running.items() if f.exception()]
    real = [(who, e) for who, e in failures if not isinstance(e, Abandoned)]
    if failures:
        who, error = (real or failures)[0]
        raise AssertionError(f"{who}'s part failed: {error}") from error


@contextmanager
def own_chromium(**options: Any) -> Iterator[Any]:
    """A browser context for one person, in the calling thread: Playwright's sync API belongs to
    the thread that started it, so every person starts their own."""
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    with sync_playwright() as playwright, chromium(playwright, **options) as context:
        context.set_default_timeout(60_000)  # two Chromiums and the stack share 2 cores
        yield context
