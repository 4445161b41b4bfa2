"""Apache Kafka as one combined KRaft broker+controller, from the jars cached by `tools`."""

from __future__ import annotations

import base64
import logging
import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

from confluent_kafka.admin import AdminClient

from snp_stack import processes, tools, versions
from snp_stack.errors import StackError, say

HEAP = ["-Xms256m", "-Xmx512m"]
LOG4J2 = """\
<Configuration status="warn">
  <Appenders>
    <Console name="stdout" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="stdout"/></Root>
    <Logger name="kafka.request.logger" level="warn"/>
    <Logger name="state.change.logger" level="warn"/>
    <Logger name="kafka.log.LogCleaner" level="warn"/>
  </Loggers>
</Configuration>
"""


def render_properties(port: int, controller_port: int, log_dirs: Path) -> str:
    """server.properties of a single combined node on loopback; topics are never auto-created."""
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{controller_port}",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": (
            f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}"
        ),
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs": str(log_dirs),
        # The platform creates its topics explicitly; a typo must fail, not make a new topic.
        "auto.create.topics.enable": "false",
        # One node: every internal topic has exactly one replica.
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "10",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "default.replication.factor": "1",
        "min.insync.replicas": "1",
        "group.initial.rebalance.delay.ms": "0",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def cluster_id() -> str:
    """What `StorageTool random-uuid` prints (a URL-safe base64 UUID), without starting a JVM."""
    while True:
        candidate = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not candidate.startswith("-"):  # Kafka avoids ids that look like command-line flags
            return candidate


def java_major(version_output: str) -> int | None:
    """The major version in `java -version` output ("1.8.0_x" is 8, "17.0.15" is 17)."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def java() -> str:
    """The `java` to run Kafka with, after checking it is Java 17 or newer."""
    why = f"Java {versions.JAVA_MIN_MAJOR} or newer is required to run Kafka"
    path = tools.require("java", why)
    output = subprocess.run([path, "-version"], capture_output=True, text=True).stderr
    major = java_major(output)
    if major is None or major < versions.JAVA_MIN_MAJOR:
        said = (output.strip().splitlines() or ["nothing"])[0]
        raise StackError(f"{why}; `java -version` says: {said}")
    return path


def _quiet_admin(bootstrap: str) -> Any:
    # librdkafka complains loudly about refused connections while the broker boots.
    logger = logging.getLogger("snp_stack.kafka.admin")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    config: dict[str, Any] = {"bootstrap.servers": bootstrap, "logger": logger}
    return AdminClient(config)


def ready(admin: Any) -> bool:
    """True once the broker answers a metadata request."""
    try:
        admin.list_topics(timeout=2)
        return True
    except Exception:  # KafkaException while the broker is still starting
        return False


def start(
    state_dir: Path, port: int, controller_port: int, log: Path
) -> tuple[processes.Component, str]:
    """Format storage once, start the broker, wait until it answers; returns its bootstrap."""
    java_bin = java()
    libs = tools.ensure_kafka() / "libs"
    home = state_dir / "kafka"
    home.mkdir(parents=True, exist_ok=True)
    properties, log4j = home / "server.properties", home / "log4j2.xml"
    properties.write_text(render_properties(port, controller_port, home / "data"))
    log4j.write_text(LOG4J2)
    classpath = ["-cp", f"{libs}/*", f"-Dlog4j2.configurationFile={log4j}"]
    log.parent.mkdir(parents=True, exist_ok=True)
    if not (home / "data" / "meta.properties").exists():
        say("formatting Kafka's storage (KRaft, standalone controller)")
        tool = [java_bin, *classpath, "kafka.tools.StorageTool", "format", "-t", cluster_id()]
        with open(log, "ab") as out:
            done = subprocess.run(
                [*tool, "-c", str(properties), "--standalone"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if done.returncode != 0:
            raise StackError(f"formatting Kafka's storage failed (exit {done.returncode})", log)
    cmd = [java_bin, *HEAP, "-XX:+UseG1GC", "-Djava.awt.headless=true", *classpath]
    proc = processes.spawn("kafka", [*cmd, "kafka.Kafka", str(properties)], log, cwd=home)
    bootstrap = f"127.0.0.1:{port}"
    component = processes.Component(
        "kafka", bootstrap, proc.pid, str(log), processes.start_time(proc.pid)
    )
    admin = _quiet_admin(bootstrap)
    try:
        processes.wait_ready("Kafka", proc, lambda: ready(admin), log, timeout=120)
    except StackError:
        processes.stop(component)
        raise
    return component, bootstrap


def ensure_platform_topics(bootstrap: str) -> None:
    """Create the platform's topics with `snp_platform.topics.ensure_topics` (idempotent)."""
    try:
        from snp_platform.topics import ensure_topics
    except ImportError:  # the platform library is written in parallel; until then, no topics
        say("snp_platform.topics.ensure_topics is not available yet: no topics created")
        return
    try:
        ensure_topics(bootstrap)
    except Exception as error:
        raise StackError(f"creating the platform's Kafka topics failed: {error}") from error
