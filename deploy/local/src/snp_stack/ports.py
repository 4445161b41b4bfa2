"""Loopback ports: fixed documented defaults for `make run`, free ones for throwaway stacks."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass

HOST = "127.0.0.1"

# name -> (default port, environment variable that overrides it)
INFRA_PORTS: dict[str, tuple[int, str]] = {
    "postgres": (15432, "SNP_POSTGRES_PORT"),
    "kafka": (19092, "SNP_KAFKA_PORT"),
    "kafka_controller": (19093, "SNP_KAFKA_CONTROLLER_PORT"),
    "opa": (8181, "SNP_OPA_PORT"),
    "smtp": (11025, "SNP_SMTP_PORT"),
    "notify": (18025, "SNP_NOTIFY_PORT"),
}


@dataclass(frozen=True)
class Ports:
    """Every port a stack listens on; `services` maps a service to its (http, grpc) ports."""

    postgres: int
    kafka: int
    kafka_controller: int
    opa: int
    services: dict[str, tuple[int, int]]
    smtp: int = 11025  # the local mail sink
    notify: int = 18025  # the local GOV.UK Notify


def env_port(env: Mapping[str, str], name: str, default: int) -> int:
    """The port in environment variable `name`, or `default`; rejects anything not a TCP port."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ValueError(f"{name}={raw!r} is not a TCP port number")
    return int(raw)


def default_ports(
    service_defaults: Mapping[str, tuple[int, int]], env: Mapping[str, str] | None = None
) -> Ports:
    """The fixed ports of `make run`, each overridable by its SNP_*_PORT variable."""
    env = os.environ if env is None else env
    infra = {name: env_port(env, var, port) for name, (port, var) in INFRA_PORTS.items()}
    services = {
        name: (
            env_port(env, f"SNP_{name.upper()}_HTTP_PORT", http),
            env_port(env, f"SNP_{name.upper()}_GRPC_PORT", grpc),
        )
        for name, (http, grpc) in service_defaults.items()
    }
    return Ports(services=services, **infra)


def free_ports(count: int, host: str = HOST) -> list[int]:
    """`count` distinct ports free right now (all sockets held open together so none repeats)."""
    with contextlib.ExitStack() as stack:
        sockets = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]


def random_ports(service_names: list[str]) -> Ports:
    """Free ports for a throwaway stack, so it runs beside `make run` and other test runs."""
    picked = free_ports(6 + 2 * len(service_names))
    services = {
        name: (picked[6 + 2 * i], picked[7 + 2 * i]) for i, name in enumerate(service_names)
    }
    return Ports(
        picked[0], picked[1], picked[2], picked[3], services, smtp=picked[4], notify=picked[5]
    )


def port_in_use(port: int, host: str = HOST) -> bool:
    """True when something already listens on host:port (so starting there would fail)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0
