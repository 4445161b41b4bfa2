"""`snp-stack`: run, stop and inspect the local stack; build tools; check the policy."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from snp_stack import (
    backup,
    images,
    policy,
    postgres,
    processes,
    restore,
    services,
    supply,
    toolbox,
    tools,
)
from snp_stack.errors import StackError
from snp_stack.ports import Ports, default_ports
from snp_stack.stack import Stack, repo_root


def _state_dir() -> Path:
    """`.state/` of the checkout, or $SNP_STATE_DIR (e.g. a restore drill's own folder)."""
    return Path(os.environ.get("SNP_STATE_DIR") or repo_root() / ".state")


class _Shutdown(Exception):
    """SIGTERM or SIGHUP: stop like Ctrl-C does."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise _Shutdown(signal.Signals(signum).name)


def _still_stopping(signum: int, frame: FrameType | None) -> None:
    print("still stopping, please wait...", file=sys.stderr, flush=True)


def _print_summary(stack: Stack) -> None:
    print("\nThe Safer Neighbourhoods Platform stack is up:")
    for c in stack.components:
        pid = f"pid {c.pid}" if c.pid else ""
        print(f"  {c.name:<20} {c.address:<45} {pid:<10} {c.log or ''}")
    missing = [s.name for s in services.SERVICES if not services.installed(s)]
    if missing:
        print(f"  (not installed yet, so not started: {', '.join(missing)})")
    print("\nClients use (also in .state/stack.env):")
    for key, value in stack.urls().items():
        print(f"  {key}={value}")
    demo = services.demo_accounts(stack.state_dir)
    if stack.seed_demo and demo.exists():
        print(f"\n{demo.read_text()}", end="")
        again = "`make stop`, then `make clean`"
        print(f"  (kept in {demo}; to start again from nothing: {again})")
    print("\nCtrl-C stops everything (or `make stop` from another terminal).", flush=True)


def _ports() -> Ports:
    """The ports `run` listens on: the documented defaults, each overridable (docs)."""
    return default_ports({s.name: (s.http_port, s.grpc_port) for s in services.SERVICES})


def run() -> int:
    """Start everything in the foreground; stop it all on Ctrl-C, SIGTERM or a crash."""
    stack = Stack(_state_dir(), _ports())
    stack.seed_demo = os.environ.get("SNP_NO_DEMO", "") not in ("1", "true", "yes")
    record = processes.read_pid_file(stack.pid_file)
    if record is not None and processes.alive(record[0]):
        print(
            f"the platform is already running here (pid {record[0].pid}): "
            "`make status` shows where, `make stop` stops it"
        )
        return 0
    if record is not None:
        stop()  # left over from a run that was killed: clear its orphans first
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    try:
        stack.start()
        _print_summary(stack)
        while (dead := stack.dead_component()) is None:
            time.sleep(0.5)
        print(f"\n{dead.name} exited unexpectedly; read its log: {dead.log}", file=sys.stderr)
        print("stopping the rest of the stack", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, _Shutdown):
        print("\nstopping the stack...", flush=True)
        return 0
    finally:
        # A second Ctrl-C must not abandon half-stopped children.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _still_stopping)
        stack.stop()


def stop() -> int:
    """Stop the stack recorded in .state/pids.json (works from another terminal)."""
    pid_file = _state_dir() / "pids.json"
    record = processes.read_pid_file(pid_file)
    if record is None:
        print("no stack is recorded in .state/pids.json: nothing to stop")
        return 0
    owner, components = record
    if processes.alive(owner) and owner.pid is not None:
        # Ask `run` to stop, so it does so in order; it removes the pid file when done.
        os.kill(owner.pid, signal.SIGTERM)
        deadline = time.monotonic() + 90
        while processes.alive(owner) and time.monotonic() < deadline:
            time.sleep(0.2)
    for component in reversed(components):
        processes.stop(component)
    pid_file.unlink(missing_ok=True)
    print("stack stopped")
    return 0


def clean() -> int:
    """Delete the state folder (and PostgreSQL's home outside it, if any): a fresh start."""
    state = _state_dir()
    record = processes.read_pid_file(state / "pids.json")
    if record is not None and processes.alive(record[0]):
        print(f"the platform is running here (pid {record[0].pid}): `make stop` first")
        return 1
    home = postgres.external_home(state)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)
    print(f"deleted {state}: the next `make run` starts from nothing (its demo sign-ins anew)")
    return 0


def status() -> int:
    """Show each recorded component: pid, alive or not, address, log."""
    record = processes.read_pid_file(_state_dir() / "pids.json")
    if record is None:
        print("no stack is running here (no .state/pids.json); start one with `make run`")
        return 1
    owner, components = record
    print(f"snp-stack run: pid {owner.pid} {'alive' if processes.alive(owner) else 'NOT RUNNING'}")
    for c in components:
        state = "external" if c.pid is None else ("alive" if processes.alive(c) else "DEAD")
        print(f"  {c.name:<20} {c.pid or '-'!s:<8} {state:<9} {c.address:<45} {c.log or ''}")
    return 0


def backup_to(target: Path) -> int:
    """Back up the running stack into `target` (a new folder) and print its recovery point."""
    manifest = backup.backup(_state_dir(), target)
    print(f"backed up in {manifest['seconds']} s into {target} (keep it as secret as the keys)")
    for service, point in manifest["recovery_point"].items():
        print(f"  {service:<12} events up to position {point['position']} ({point['recorded_at']})")
    return 0


def restore_from(source: Path) -> int:
    """Restore the backup in `source` into the empty state folder; `run` then serves it."""
    timings = restore.restore(source, _state_dir(), _ports())
    figures = ", ".join(f"{part} {seconds} s" for part, seconds in timings.items())
    print(f"restored {source} into {_state_dir()} ({figures}); start it with `make run`")
    return 0


def _pin_images(check: bool) -> int:
    import httpx

    with httpx.Client(timeout=20, follow_redirects=True) as client:
        try:
            unpinned, changed = images.pin_all(
                repo_root(), lambda ref: images.resolve(ref, client), check
            )
        except httpx.HTTPError as error:
            raise StackError(f"cannot reach the image registry: {error}") from error
    for path in changed:
        print(f"pinned {path.relative_to(repo_root())}")
    if check and unpinned:
        print("not pinned by digest: " + ", ".join(unpinned), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `snp-stack` console script."""
    parser = argparse.ArgumentParser(prog="snp-stack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the whole stack in the foreground")
    commands.add_parser("stop", help="stop the stack `run` started")
    commands.add_parser("status", help="show what `run` has running")
    commands.add_parser("clean", help="delete the state folder: the next run starts afresh")
    commands.add_parser("tools", help="fetch and build every external tool (once, cached)")
    tool = commands.add_parser("tool-path", help="print a cached tool's path (building it)")
    tool.add_argument("tool", choices=["opa", "regal"])
    check = commands.add_parser("policy-check", help="opa fmt/check, regal lint, opa test+coverage")
    check.add_argument("policies", nargs="?", type=Path, help="default: policies/ of the checkout")
    commands.add_parser("audit", help="pip-audit the lock file (OSV, or its offline snapshot)")
    sbom = commands.add_parser("sbom", help="a CycloneDX SBOM per image")
    sbom.add_argument("--out", type=Path, help="default: .artifacts/sbom/ of the checkout")
    pins = commands.add_parser("pin-images", help="pin the Dockerfiles' base images by digest")
    pins.add_argument("--check", action="store_true", help="only list the unpinned ones")
    saved = commands.add_parser("backup", help="back up the running stack into a new folder")
    saved.add_argument("folder", type=Path, help="a new (or empty) folder for the backup")
    back = commands.add_parser("restore", help="restore a backup into an empty state folder")
    back.add_argument("folder", type=Path, help="a folder `snp-stack backup` wrote")
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return run()
        if args.command == "stop":
            return stop()
        if args.command == "status":
            return status()
        if args.command == "clean":
            return clean()
        if args.command == "backup":
            return backup_to(args.folder)
        if args.command == "restore":
            return restore_from(args.folder)
        if args.command == "tools":
            return toolbox.build_all()
        if args.command == "tool-path":
            print(tools.ensure_go_tool(args.tool))
            return 0
        if args.command == "audit":
            return supply.audit(repo_root(), repo_root() / ".artifacts/audit")
        if args.command == "pin-images":
            return _pin_images(args.check)
        if args.command == "sbom":
            for path in supply.sbom(repo_root(), args.out or repo_root() / ".artifacts/sbom"):
                print(path)
            return 0
        return policy.check(args.policies or repo_root() / "policies")
    except StackError as error:
        print(f"snp-stack: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
