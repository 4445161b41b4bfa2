"""`snp-stack backup DIR`: a running stack's databases, `snp.*` topics and secrets, with a
manifest that names the recovery point.

Order matters, as the stack keeps running: the databases first (downstream first, see
database_backup.DUMP_ORDER), then the topics, leaving out any event its store's dump does not
hold. So every event a restored consumer has applied, and every event in a restored topic, is
in its restored store; what the topics lack of a store (its relay was behind) the relay sends
again after the restore.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg

from snp_stack import database_backup, kafka, services, topic_backup, versions
from snp_stack.errors import StackError, say

MANIFEST = "manifest.json"
FORMAT = 1
KEYS_NOTE = (
    "secrets.env holds the keys that wrap every account's and every group's data key and sign "
    "audit's checkpoints: keep this backup as secret as those keys"
)


def stack_urls(state_dir: Path) -> dict[str, str]:
    """DATABASE_URL and KAFKA_BOOTSTRAP of the stack that runs on `state_dir` (its stack.env)."""
    env_file = state_dir / "stack.env"
    if not env_file.exists():
        raise StackError(f"no {env_file}: start the stack first (`make run`)")
    pairs = (
        line.removeprefix("export ").split("=", 1) for line in env_file.read_text().split("\n")
    )
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def _running(urls: dict[str, str]) -> None:
    """Refuse early, with a message, when the stack that wrote stack.env is not up."""
    try:
        with psycopg.connect(urls["DATABASE_URL"], connect_timeout=5):
            pass
    except psycopg.Error as error:
        raise StackError(f"PostgreSQL does not answer ({error}): is the stack running?") from error
    if not kafka.ready(kafka._quiet_admin(urls["KAFKA_BOOTSTRAP"])):
        raise StackError(
            f"Kafka at {urls['KAFKA_BOOTSTRAP']} does not answer: is the stack running?"
        )


def _empty_folder(path: Path) -> None:
    if path.exists() and any(path.iterdir()):
        raise StackError(f"{path} is not empty: back up into a new folder")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)  # it will hold the keys


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _checkout() -> str:
    from snp_stack.stack import repo_root

    done = subprocess.run(
        ["git", "-C", str(repo_root()), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


@dataclass
class _StoreTopic:
    """One store's events topic: it keeps only what the store's dump holds, and tells where
    the restored relay resumes (past every event, in position order, the topic holds)."""

    server_url: str
    store: database_backup.DatabaseDump
    window: list[tuple[int, str]] = field(default_factory=list)
    found: set[str] = field(default_factory=set)

    def keeper(self) -> topic_backup.Keep:
        dumped = self.store
        later = database_backup.events_after(
            self.server_url, dumped.service, dumped.relay_checkpoint
        )
        self.window = [(p, e) for p, e in later if p <= dumped.max_position]
        unsaved = {e for p, e in later if p > dumped.max_position}
        wanted = {e for _, e in self.window}

        def keep(event: str | None) -> bool:
            if event is not None and event in wanted:
                self.found.add(event)
            return event not in unsaved

        return keep

    def resumes_at(self) -> int:
        return topic_backup.published_prefix(self.store.relay_checkpoint, self.window, self.found)


def _keep_all() -> topic_backup.Keep:
    return lambda _event: True


def _dump_topics(
    urls: dict[str, str], dumps: list[database_backup.DatabaseDump], folder: Path
) -> tuple[list[topic_backup.TopicDump], dict[str, int]]:
    """Every `snp.*` topic; for each store's topic, where its relay resumes after a restore."""
    stores = {
        f"snp.{d.service}.events": _StoreTopic(urls["DATABASE_URL"], d)
        for d in dumps
        if d.events is not None
    }
    resumes: dict[str, int] = {}
    topics = topic_backup.platform_topics(urls["KAFKA_BOOTSTRAP"])
    for topic in topics:
        store = stores.get(topic.name)
        keeper = store.keeper if store is not None else _keep_all
        topic_backup.dump(urls["KAFKA_BOOTSTRAP"], topic, folder, keeper)
        if store is not None:
            resumes[store.store.service] = store.resumes_at()
        say(f"  {topic.name}: {sum(topic.records.values())} records")
    return topics, resumes


def backup(state_dir: Path, target: Path) -> dict[str, Any]:
    """Back up the stack running on `state_dir` into the new folder `target`; the manifest."""
    urls = stack_urls(state_dir)
    _empty_folder(target)
    _running(urls)
    started, clock = _now(), time.monotonic()
    (target / "postgres").mkdir()
    (target / "kafka").mkdir()
    dumps = []
    for service in database_backup.DUMP_ORDER:
        if service in services.SERVICE_NAMES:
            dumps.append(database_backup.dump(urls["DATABASE_URL"], service, target / "postgres"))
            say(f"  {dumps[-1].file}: {dumps[-1].events} events, {dumps[-1].bytes} bytes")
    topics, resumes = _dump_topics(urls, dumps, target / "kafka")
    secrets = state_dir / "secrets.env"
    fd = os.open(target / "secrets.env", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.read_text())
    manifest = {
        "format": FORMAT,
        "started_at": started,
        "finished_at": _now(),
        "seconds": round(time.monotonic() - clock, 3),
        "versions": {
            "snp_stack": metadata.version("snp-stack"),
            "checkout": _checkout(),
            "postgresql_server": database_backup.server_version(urls["DATABASE_URL"]),
            "pg_dump": database_backup.dump_tool_version(),
            "kafka": versions.KAFKA_VERSION,
        },
        "recovery_point": {
            d.service: {"position": d.max_position, "recorded_at": d.last_recorded_at}
            for d in dumps
            if d.events is not None
        },
        "databases": [d.as_json() | {"relay_resumes_at": resumes.get(d.service)} for d in dumps],
        "topics": [t.as_json() for t in topics],
        "secrets": {"file": "secrets.env", "warning": KEYS_NOTE},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, refusing a folder that is not a backup of this format."""
    path = source / MANIFEST
    if not path.exists():
        raise StackError(f"{source} is not a backup: it has no {MANIFEST}")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise StackError(f"{path}: format {manifest.get('format')!r}, this stack reads {FORMAT}")
    return manifest


def copy_secrets(source: Path, state_dir: Path) -> None:
    """The backed-up secrets.env into the state folder, as only its owner may read it."""
    fd = os.open(state_dir / "secrets.env", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out, (source / "secrets.env").open() as backed_up:
        shutil.copyfileobj(backed_up, out)
