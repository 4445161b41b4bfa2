"""Pure helpers of the local stack: ports, Kafka properties, database URLs, version parsing."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from snp_stack import cli, kafka, postgres, services
from snp_stack.ports import default_ports, env_port, free_ports, port_in_use, random_ports
from snp_stack.processes import write_pid_file

SERVICE_DEFAULTS = {s.name: (s.http_port, s.grpc_port) for s in services.SERVICES}


def test_free_ports_are_distinct_and_bindable() -> None:
    ports = free_ports(12)
    assert len(set(ports)) == 12
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_random_ports_give_every_service_two_ports() -> None:
    ports = random_ports(services.SERVICE_NAMES)
    every = [ports.postgres, ports.kafka, ports.kafka_controller, ports.opa]
    every += [p for pair in ports.services.values() for p in pair]
    assert len(set(every)) == 4 + 2 * len(services.SERVICES)
    assert set(ports.services) == set(services.SERVICE_NAMES)


def test_default_ports_are_the_documented_ones() -> None:
    ports = default_ports(SERVICE_DEFAULTS, env={})
    assert (ports.postgres, ports.kafka, ports.kafka_controller, ports.opa) == (
        15432,
        19092,
        19093,
        8181,
    )
    assert ports.services["identity"] == (8001, 50051)
    assert ports.services["audit"] == (8005, 50055)


def test_environment_overrides_default_ports() -> None:
    env = {"SNP_POSTGRES_PORT": "25432", "SNP_MEMBERSHIP_GRPC_PORT": "60052"}
    ports = default_ports(SERVICE_DEFAULTS, env=env)
    assert ports.postgres == 25432
    assert ports.services["membership"] == (8002, 60052)


@pytest.mark.parametrize("raw", ["abc", "0", "70000", "-1"])
def test_bad_port_values_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="SNP_OPA_PORT"):
        env_port({"SNP_OPA_PORT": raw}, "SNP_OPA_PORT", 8181)


def test_port_in_use_sees_a_listener() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        assert port_in_use(sock.getsockname()[1])
    assert not port_in_use(free_ports(1)[0])


def test_kafka_properties_single_node_no_auto_create() -> None:
    text = kafka.render_properties(29092, 29093, Path("/data/kafka"))
    props = dict(line.split("=", 1) for line in text.splitlines())
    assert props["auto.create.topics.enable"] == "false"
    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.bootstrap.servers"] == "127.0.0.1:29093"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093"
    assert props["log.dirs"] == "/data/kafka"
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr",
    ):
        assert props[key] == "1"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert all("127.0.0.1" in props[k] for k in ("listeners", "advertised.listeners"))


def test_cluster_id_looks_like_kafkas() -> None:
    ids = {kafka.cluster_id() for _ in range(200)}
    assert len(ids) == 200
    for value in ids:
        assert len(value) == 22
        assert not value.startswith("-")


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('java version "1.8.0_381"', 8),
        ('openjdk version "21" 2023-09-19', 21),
        ("nonsense", None),
    ],
)
def test_java_major(output: str, major: int | None) -> None:
    assert kafka.java_major(output) == major


@pytest.mark.parametrize(
    ("server", "expected"),
    [
        (
            "postgresql://snp:pw@127.0.0.1:15432/postgres",
            "postgresql://snp:pw@127.0.0.1:15432/snp_identity",
        ),
        ("postgresql://snp:pw@db:5432", "postgresql://snp:pw@db:5432/snp_identity"),
        ("postgresql://u@h/x?sslmode=require", "postgresql://u@h/snp_identity?sslmode=require"),
    ],
)
def test_service_database_url_replaces_the_database(server: str, expected: str) -> None:
    assert postgres.service_database_url(server, "identity") == expected


def test_service_database_url_rejects_odd_names() -> None:
    with pytest.raises(ValueError, match="not a service name"):
        postgres.service_database_url("postgresql://h/postgres", "x; drop")


def test_server_url_escapes_the_password() -> None:
    url = postgres.server_url(15432, "a/b@c")
    assert url == "postgresql://snp:a%2Fb%40c@127.0.0.1:15432/postgres"


def test_a_second_run_says_one_is_running_and_starts_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / ".state"
    state.mkdir()
    write_pid_file(state / "pids.json", os.getpid(), [])  # "a stack": this live process
    before = (state / "pids.json").read_text()
    monkeypatch.setenv("SNP_REPO_ROOT", str(tmp_path))
    assert cli.main(["run"]) == 0
    said = capsys.readouterr().out.strip().splitlines()
    assert len(said) == 1 and "already running" in said[0] and "make stop" in said[0]
    assert (state / "pids.json").read_text() == before
    assert sorted(p.name for p in state.iterdir()) == ["pids.json"]
