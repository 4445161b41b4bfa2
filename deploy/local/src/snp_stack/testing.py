"""Throwaway stacks for tests: free ports, a temporary state folder, torn down at exit.

    with throwaway_stack() as stack:
        psycopg.connect(stack.service_database_url("identity"))
        stack.kafka_bootstrap, stack.opa_url, stack.pid("kafka"), stack.log_path("kafka")

Set SNP_KEEP_STATE=1 to keep the state folder (and its logs) after the stack stops.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from snp_stack import postgres, processes, services
from snp_stack.errors import say
from snp_stack.ports import random_ports
from snp_stack.stack import Stack

PREFIX = "snp-stack-"

__all__ = ["Stack", "reap_abandoned", "throwaway_stack"]


def _remove(state_dir: Path) -> None:
    home = postgres.external_home(state_dir)
    if home is not None:  # the root-only fallback outside the state folder
        shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(state_dir, ignore_errors=True)


def reap_abandoned() -> None:
    """Stop and delete throwaway stacks whose owning process died without tearing them down
    (e.g. a test run killed with SIGKILL), so they do not hold ports and memory forever."""
    for pid_file in Path(tempfile.gettempdir()).glob(f"{PREFIX}*/pids.json"):
        record = processes.read_pid_file(pid_file)
        if record is None or processes.alive(record[0]):
            continue
        owner, components = record
        say(f"stopping an abandoned throwaway stack of pid {owner.pid}: {pid_file.parent}")
        for component in reversed(components):
            processes.stop(component)
        _remove(pid_file.parent)


@contextmanager
def throwaway_stack(
    *, with_services: bool = True, env: Mapping[str, str] | None = None
) -> Iterator[Stack]:
    """Start a whole stack on free loopback ports in a temporary state folder; stop and delete
    it on exit, even when the body raises. DATABASE_URL, KAFKA_BOOTSTRAP and OPA_URL in `env`
    (default: os.environ) select existing servers instead, as `snp-stack run` does."""
    reap_abandoned()
    state_dir = Path(tempfile.mkdtemp(prefix=PREFIX))
    state_dir.chmod(0o755)  # as root, PostgreSQL runs as `nobody`, which must reach its data
    stack = Stack(
        state_dir,
        random_ports(services.SERVICE_NAMES),
        durable=False,
        with_services=with_services,
        build_tools=False,
        env=dict(os.environ if env is None else env),
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        if os.environ.get("SNP_KEEP_STATE"):
            say(f"kept the throwaway stack's state folder: {state_dir}")
        else:
            _remove(state_dir)
