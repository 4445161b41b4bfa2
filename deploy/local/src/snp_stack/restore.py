"""`snp-stack restore DIR`: a backup into an empty state folder, which `make run` then serves.

It starts the folder's own PostgreSQL and Kafka (on the ports `run` will use: a KRaft log
remembers its controller's address), restores every database, recreates the topics with
their partitions and settings and republishes their records onto the same partitions, puts
secrets.env back, and stops both servers. Consumer groups get no offsets: they replay every
topic from its start, skipping by event id what their restored database has applied.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from snp_stack import (
    backup,
    database_backup,
    kafka,
    postgres,
    processes,
    services,
    topic_backup,
    topic_restore,
)
from snp_stack.errors import StackError, say
from snp_stack.ports import Ports, port_in_use


def _refuse_unless_empty(state_dir: Path) -> None:
    if state_dir.exists() and any(state_dir.iterdir()):
        raise StackError(
            f"{state_dir} is not empty: a restore only fills an empty state folder "
            "(`make stop`, then `make clean`, or restore into another folder)"
        )
    for variable in ("DATABASE_URL", "KAFKA_BOOTSTRAP"):
        if os.environ.get(variable):
            raise StackError(
                f"{variable} is set: a restore fills the stack's own servers; for servers you "
                "run yourself use their own tools (docs/operations.md, 'Backup and restore')"
            )


def _free(ports: Ports) -> None:
    wanted = [(ports.postgres, "PostgreSQL"), (ports.kafka, "Kafka")]
    for port, what in [*wanted, (ports.kafka_controller, "Kafka controller")]:
        if port_in_use(port):
            raise StackError(f"port {port} ({what}) is in use: stop the stack that holds it")


def _restore_topics(bootstrap: str, source: Path, manifest: dict[str, Any]) -> int:
    topics = [
        topic_backup.TopicDump(t["name"], t["partitions"], t["config"], t["file"])
        for t in manifest["topics"]
    ]
    topic_restore.create(bootstrap, topics)
    sent = 0
    for topic in topics:
        sent += topic_restore.republish(bootstrap, topic, source / "kafka" / topic.file)
    kafka.ensure_platform_topics(bootstrap)  # any topic the backup predates
    return sent


def restore(source: Path, state_dir: Path, ports: Ports) -> dict[str, float]:
    """Restore the backup in `source` into the empty `state_dir`; seconds each part took."""
    manifest = backup.read_manifest(source)
    _refuse_unless_empty(state_dir)
    _free(ports)
    state_dir.mkdir(parents=True, exist_ok=True)
    state_dir.chmod(0o755)  # as root, PostgreSQL runs as `nobody`, which must reach its data
    backup.copy_secrets(source, state_dir)
    pid_file, components = state_dir / "pids.json", []
    timings: dict[str, float] = {}
    clock = time.monotonic()
    try:
        logs = state_dir / "logs"
        started, url = postgres.start(state_dir, ports.postgres, logs / "postgres.log", True)
        components.append(started)
        processes.write_pid_file(pid_file, os.getpid(), components)
        started, bootstrap = kafka.start(
            state_dir, ports.kafka, ports.kafka_controller, logs / "kafka.log"
        )
        components.append(started)
        processes.write_pid_file(pid_file, os.getpid(), components)
        timings["servers_started"] = round(time.monotonic() - clock, 3)
        postgres.ensure_databases(url, services.SERVICE_NAMES)
        clock = time.monotonic()
        for dump in manifest["databases"]:
            database_backup.restore(url, dump["service"], source / "postgres" / dump["file"])
            if dump["relay_resumes_at"] not in (None, dump["relay_checkpoint"]):
                database_backup.set_relay_checkpoint(url, dump["service"], dump["relay_resumes_at"])
            say(f"  restored {dump['file']} ({dump['events']} events)")
        timings["databases"] = round(time.monotonic() - clock, 3)
        clock = time.monotonic()
        sent = _restore_topics(bootstrap, source, manifest)
        timings["topics"] = round(time.monotonic() - clock, 3)
        say(f"  republished {sent} records to {len(manifest['topics'])} topics")
    finally:
        for component in reversed(components):
            processes.stop(component)
        pid_file.unlink(missing_ok=True)
    return timings
