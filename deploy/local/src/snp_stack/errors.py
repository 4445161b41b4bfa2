"""The error the stack raises for problems a person has to fix, and its progress messages."""

from __future__ import annotations

import sys
from pathlib import Path


class StackError(Exception):
    """A component could not be fetched, built or started; the message says what to do."""

    def __init__(self, message: str, log: Path | None = None) -> None:
        if log is not None:
            message = f"{message}\n  read its log: {log}{_last_lines(log)}"
        super().__init__(message)
        self.log = log


def _last_lines(log: Path, count: int = 12) -> str:
    """The end of the log, where a process that died says why (CI shows only this message)."""
    try:
        lines = log.read_text(errors="replace").splitlines()[-count:]
    except OSError:
        return ""
    if not lines:
        return ""
    return "\n  it ends:\n" + "\n".join(f"    {line}" for line in lines)


def say(message: str) -> None:
    """Progress goes to stderr, so commands like `tool-path` keep stdout for their answer."""
    print(f"[snp-stack] {message}", file=sys.stderr, flush=True)
