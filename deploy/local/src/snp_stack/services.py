"""The platform's services: one table of names and ports, started only once installed."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from snp_stack import processes, secrets
from snp_stack.errors import StackError


@dataclass(frozen=True)
class ServiceSpec:
    """A service: default REST and gRPC ports (0: it serves no gRPC), the roles (subcommands)
    run locally, and whether it has an event store of its own (and so a Kafka topic)."""

    name: str
    http_port: int
    grpc_port: int
    roles: tuple[str, ...] = ("api", "relay", "consumer")
    events: bool = True

    @property
    def package(self) -> str:
        return f"snp_{self.name}"


SERVICES = (
    ServiceSpec("identity", 8001, 50051, ("api", "relay")),  # identity consumes no events
    ServiceSpec("membership", 8002, 50052),
    ServiceSpec("documents", 8003, 50053),
    # Delivery workers scale with the volume of deliveries, apart from the consumer.
    ServiceSpec("messaging", 8004, 50054, ("api", "relay", "consumer", "worker")),
    ServiceSpec("audit", 8005, 50055, ("api", "consumer")),  # audit publishes no events
    # Its gRPC serves only SubjectExport (to identity) and the health every api has.
    ServiceSpec("engagement", 8006, 50056),
    # The web portal holds only sessions: no events, no gRPC, no secrets of the platform.
    ServiceSpec("portal", 8000, 0, ("api",), events=False),
)
SERVICE_NAMES = [spec.name for spec in SERVICES]
EVENT_SERVICE_NAMES = [spec.name for spec in SERVICES if spec.events]


def installed(spec: ServiceSpec) -> bool:
    """True once the service's workspace package (`snp-<name>`) is installed."""
    return importlib.util.find_spec(spec.package) is not None


def _script(name: str) -> str:
    # Prefer the console script beside this interpreter: the workspace's venv, even unactivated.
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise StackError(f"{name}: the package is installed but its console script is not")
    return found


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start(
    spec: ServiceSpec, env: dict[str, str], http_port: int, grpc_port: int, logs: Path
) -> list[processes.Component]:
    """Start each role of the service with its environment; wait for the api's REST port."""
    started: list[processes.Component] = []
    for role in spec.roles:
        try:
            started.append(start_role(spec, role, env, http_port, grpc_port, logs))
        except StackError:
            for done in reversed(started):
                processes.stop(done)
            raise
    return started


def start_role(
    spec: ServiceSpec, role: str, env: dict[str, str], http_port: int, grpc_port: int, logs: Path
) -> processes.Component:
    """Start one role (`api`, `relay` ...) of the service; the api is waited for until its REST
    port answers."""
    script = _script(f"snp-{spec.name}")
    child_env = {
        **os.environ,
        **env,
        "SNP_SERVICE": spec.name,
        "SNP_HTTP_PORT": str(http_port),
        "SNP_GRPC_PORT": str(grpc_port),
    }
    name, log = f"{spec.name}-{role}", logs / f"{spec.name}-{role}.log"
    proc = processes.spawn(name, [script, role], log, env=child_env)
    api = role == "api"
    grpc = f" grpc 127.0.0.1:{grpc_port}" if spec.grpc_port else ""
    address = f"http://127.0.0.1:{http_port}{grpc}" if api else ""
    component = processes.Component(
        name, address, proc.pid, str(log), processes.start_time(proc.pid)
    )
    if api:
        try:
            processes.wait_ready(name, proc, lambda: _listening(http_port), log, timeout=60)
        except StackError:
            processes.stop(component)
            raise
    return component


def seed_demo(env: dict[str, str], state_dir: Path) -> None:
    """Make what is missing of identity's demo tenant (all of it on a first run, the rest after
    an interrupted one); keep how to sign in as each account in demo-accounts.txt."""
    if not installed(SERVICES[0]):
        return
    done = subprocess.run(
        [_script("snp-identity"), "seed-demo"],
        env={**os.environ, **env, "SNP_DEMO_SEED": secrets.demo_seed(state_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-3:]
        raise StackError(
            "seeding the demo tenant failed: "
            + " / ".join(line.strip() for line in last)
            + "\n  start again from nothing: `make stop`, then `make clean`"
        )
    fd = os.open(demo_accounts(state_dir), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(done.stdout)


def demo_accounts(state_dir: Path) -> Path:
    """Where `make run` keeps the demo sign-ins it printed (mode 0600)."""
    return state_dir / "demo-accounts.txt"
