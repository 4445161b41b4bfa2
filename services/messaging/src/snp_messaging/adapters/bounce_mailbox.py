"""The bounce mailbox: a Maildir the mail server delivers bounces to (Postfix and Dovecot
write one; locally, the mail sink's). Mail not yet looked at is in `new/`; a handled bounce
moves to `cur/` marked seen (the Maildir way: `:2,S`), so each is handled once. Mail that is
not a bounce is left where it is, untouched (the local sink's maildir holds every resident's
mail too), and this process does not read it again."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


class BounceMailbox:
    def __init__(self, path: str | Path) -> None:
        self._new, self._cur = Path(path) / "new", Path(path) / "cur"
        self._passed_over: set[str] = set()

    def unread(self) -> Iterator[tuple[str, bytes]]:
        """(name, raw bytes) of each mail in new/ this process has not passed over."""
        for name in sorted(os.listdir(self._new)):
            if name in self._passed_over or name.startswith("."):
                continue
            try:
                raw = (self._new / name).read_bytes()
            except FileNotFoundError:  # another reader took it meanwhile
                continue
            yield name, raw

    def done(self, name: str) -> None:
        """The bounce was handled: seen, into cur/."""
        os.replace(self._new / name, self._cur / f"{name.split(':')[0]}:2,S")

    def pass_over(self, name: str) -> None:
        """Not a bounce: left as it is, and not read again by this process."""
        self._passed_over.add(name)
