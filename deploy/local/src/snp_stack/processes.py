"""Child processes in their own process groups, readiness waits, and the pid file.

Each child gets its own session (so a terminal's Ctrl-C reaches only the stack, which then stops
children in order) and is stopped by signalling its whole group, so nothing it forked survives.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from snp_stack.errors import StackError


@dataclass
class Component:
    """One running piece of the stack (pid None: an external server we only connect to)."""

    name: str
    address: str
    pid: int | None = None
    log: str | None = None
    started: int | None = None  # the kernel's start time of pid, so a reused pid is never killed
    stop_signal: int = signal.SIGTERM


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat fields from the state on (the name before them may contain spaces)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (field 22), None if it is gone."""
    fields = _stat(pid)
    return None if fields is None else int(fields[19])


def alive(component: Component) -> bool:
    """True while the recorded process (the same one, not a reuse of its pid) is running."""
    if component.pid is None:
        return False
    fields = _stat(component.pid)
    if fields is None or fields[0] == "Z":  # a zombie has exited; it only waits to be reaped
        return False
    return component.started is None or int(fields[19]) == component.started


def spawn(
    name: str,
    cmd: list[str],
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    user: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start `cmd` in a new session with stdout and stderr appended to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        try:
            return subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=None if env is None else dict(env),
                cwd=cwd,
                start_new_session=True,
                user=user,
                group=user,
                extra_groups=[] if user is not None else None,
            )
        except OSError as error:
            raise StackError(f"{name}: could not run {cmd[0]}: {error}", log) from error


def wait_ready(
    name: str,
    proc: subprocess.Popen[bytes],
    ready: Callable[[], bool],
    log: Path,
    timeout: float,
) -> None:
    """Poll `ready` until it is true; fail early, pointing at the log, if the process exits."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise StackError(f"{name} exited during start-up (exit code {proc.returncode})", log)
        if ready():
            return
        if time.monotonic() > deadline:
            raise StackError(f"{name} did not become ready within {timeout:.0f}s", log)
        time.sleep(0.2)


def stop(component: Component, timeout: float = 20.0) -> None:
    """Signal the component's process group, wait, then SIGKILL the group if anything is left."""
    if component.pid is None:
        return
    pgid = component.pid  # each child leads its own group (start_new_session)
    if not alive(component):
        fields = _stat(pgid)
        if fields is None or fields[0] == "Z":
            # The leader is gone, so its pid cannot have been reused while its group still has
            # members: anything left in group `pgid` is a straggler of ours.
            _killpg(pgid, signal.SIGKILL)
            _reap(pgid)
        return  # otherwise the pid now belongs to an unrelated process: leave it alone
    _killpg(pgid, component.stop_signal)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive(component):
        _reap(component.pid)
        time.sleep(0.1)
    # Stragglers: the leader, or anything the leader left behind in its group.
    _killpg(pgid, signal.SIGKILL)
    _reap(component.pid, wait=5.0)


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group has exited already
        os.killpg(pgid, sig)


def _reap(pid: int, wait: float = 0.0) -> None:
    """Collect our own child's exit status so it does not linger as a zombie, waiting up to
    `wait` seconds for a child just killed to finish exiting."""
    deadline = time.monotonic() + wait
    # Not our child when `snp-stack stop` runs from another terminal: nothing to collect.
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(pid, os.WNOHANG) == (0, 0) and time.monotonic() < deadline:
            time.sleep(0.05)


def write_pid_file(path: Path, owner: int, components: list[Component]) -> None:
    """Record the stack's pid and its components atomically (readers never see half a file)."""
    data = {
        "stack_pid": owner,
        "stack_started": start_time(owner),
        "components": [asdict(c) for c in components],
    }
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n")
    partial.replace(path)


def read_pid_file(path: Path) -> tuple[Component, list[Component]] | None:
    """The recorded stack process (as a Component) and its components, or None without a file."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    owner = Component("snp-stack", "", data["stack_pid"], None, data.get("stack_started"))
    return owner, [Component(**c) for c in data["components"]]
