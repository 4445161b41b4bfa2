"""The error the stack raises for problems a person has to fix, and its progress messages."""

from __future__ import annotations

import sys
from pathlib import Path


class StackError(Exception):
    """A component could not be fetched, built or started; the message says what to do."""

    def __init__(self, message: str, log: Path | None = None) -> None:
        if log is not None:
            message = f"{message}\n  read its log: {log}"
        super().__init__(message)
        self.log = log


def say(message: str) -> None:
    """Progress goes to stderr, so commands like `tool-path` keep stdout for their answer."""
    print(f"[snp-stack] {message}", file=sys.stderr, flush=True)
