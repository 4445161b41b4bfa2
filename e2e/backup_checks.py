"""What the backup drill compares across a restore: every table of every database, each store's
events on its topic, audit's offline verification, and projections rebuilt in place."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
from confluent_kafka import Message
from psycopg import sql

from e2e.backup_world import World, client
from snp_stack import services
from tests.integration.kafka_helpers import read_topic
from tests.integration.test_projection_rebuilds import CASES, TABLES

Fingerprint = dict[str, dict[str, tuple[int, str]]]


# OPA sends its decision logs to audit on its own timer, so a decision made just before the
# backup (the auditor reading the checkpoint kept for the drill, say) may reach audit between
# the fingerprint and the dump. Those entries are left out of the table comparison; the offline
# verification of the whole audit log against the kept checkpoint still covers every entry.
_ONLY = {("audit", "audit_entries"): "t.source <> 'decision'"}


def fingerprint(stack: Any, tables: dict[str, list[str]] | None = None) -> Fingerprint:
    """Per database and table: its rows and a digest of them all (order-free)."""
    found: Fingerprint = {}
    for service in tables or services.SERVICE_NAMES:
        with psycopg.connect(stack.service_database_url(service)) as conn:
            names = (tables or {}).get(service) or [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()
            ]
            found[service] = {}
            for name in sorted(names):
                only = sql.SQL(_ONLY.get((service, name), "true"))
                query = sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
                    " FROM {} t WHERE {}"
                ).format(sql.Identifier(name), only)
                row = conn.execute(query).fetchone()
                assert row is not None
                found[service][name] = (int(row[0]), str(row[1]))
    return found


def differences(before: Fingerprint, after: Fingerprint) -> list[str]:
    return [
        f"{service}.{table}: {before[service].get(table)} -> {after[service].get(table)}"
        for service in before
        for table in sorted(set(before[service]) | set(after.get(service, {})))
        if before[service].get(table) != after.get(service, {}).get(table)
    ]


def _store_events(stack: Any, service: str, tenant: str) -> list[str]:
    with psycopg.connect(stack.service_database_url(service)) as conn:
        rows = conn.execute("SELECT event_id::text FROM events WHERE tenant = %s", (tenant,))
        return [row[0] for row in rows.fetchall()]


def _header(message: Message, name: str) -> str:
    value = dict(message.headers() or []).get(name)
    return value.decode() if isinstance(value, bytes) else str(value or "")


def topics_match_stores(stack: Any, tenant: str) -> dict[str, int]:
    """Each store's events of `tenant` are on its topic exactly once; {service: events}."""
    counted = {}
    for service in services.EVENT_SERVICE_NAMES:
        stored = _store_events(stack, service, tenant)
        on_topic = Counter(
            _header(m, "snp-event-id")
            for m in read_topic(stack.kafka_bootstrap, f"snp.{service}.events")
            if _header(m, "snp-tenant") == tenant
        )
        twice = [event for event, n in on_topic.items() if n > 1]
        assert not twice, f"snp.{service}.events holds {len(twice)} events twice: {twice[:3]}"
        assert set(on_topic) == set(stored), f"snp.{service}.events differs from its store"
        counted[service] = len(stored)
    return counted


def audit_verifies(stack: Any, world: World, earlier: dict[str, Any], folder: Path) -> str:
    """An export since the checkpoint kept before the backup verifies offline against it."""
    env = {**os.environ, **stack.service_env("audit")}
    subprocess.run(["snp-audit", "sign-checkpoints"], env=env, check=True, capture_output=True)
    token = {"Authorization": f"Bearer {world.people['auditor'].token}"}
    with client(stack, "audit") as audit:
        since = earlier["checkpoint"]["tree_size"]
        export = audit.get("/export", params={"since": since}, headers=token)
        assert export.status_code == 200, export.text
        key = audit.get("/public-key").json()["public_key"]
    assert key == earlier["public_key"], "the restored audit signs with another key"
    (folder / "export.ndjson").write_text(export.text)
    (folder / "audit.pub").write_text(key + "\n")
    (folder / "checkpoint.json").write_text(json.dumps(earlier["checkpoint"]))
    verify = ["snp-audit", "verify", str(folder / "export.ndjson")]
    verify += ["--public-key", str(folder / "audit.pub")]
    verify += ["--previous-checkpoint", str(folder / "checkpoint.json")]
    done = subprocess.run(verify, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def kept_checkpoint(stack: Any, world: World) -> dict[str, Any]:
    """What an auditor keeps before the backup: the latest signed checkpoint and the key."""
    env = {**os.environ, **stack.service_env("audit")}
    subprocess.run(["snp-audit", "sign-checkpoints"], env=env, check=True, capture_output=True)
    token = {"Authorization": f"Bearer {world.people['auditor'].token}"}
    with client(stack, "audit") as audit:
        checkpoint = audit.get("/checkpoints/latest", headers=token)
        assert checkpoint.status_code == 200, checkpoint.text
        return {
            "checkpoint": checkpoint.json(),
            "public_key": audit.get("/public-key").json()["public_key"],
        }


def projections_rebuild(stack: Any) -> int:
    """Every projection rebuilt in place gives the rows the restore gave; how many rebuilt."""
    for _service, name, rebuild in CASES:
        before = fingerprint(stack, TABLES)
        assert rebuild(stack) > 0, f"rebuilding {name} applied nothing"
        assert differences(before, fingerprint(stack, TABLES)) == [], name
    return len(CASES)
