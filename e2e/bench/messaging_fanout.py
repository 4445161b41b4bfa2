"""Messaging: one message to a very large group, through the whole fan-out.

Measures, on the throwaway stack: how long the send request takes (every inbox entry and
delivery recorded), the time until every delivery is queued on the delivery topic, deliveries
per second through SMTP to the stack's local mail sink (contacts fetched from identity's
directory in batches of 500), and the peak memory (VmHWM) of each messaging process.

The limit beside the deliveries is plain `smtplib` sending the same mail into the same sink
from as many threads (each with its own connection, as each sending thread has), in the same
run. Goal (issue 19): deliveries >= 50 % of it.

SNP_BENCH_MESSAGING_RECIPIENTS (default 3000, so that `make bench` stays short; issue 7's size
is 100000) sets the size; SNP_BENCH_MESSAGING_WORKERS (default 2) how many delivery workers run
beside the stack's own.
"""

from __future__ import annotations

import os
import smtplib
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

from e2e.bench.identity_sign_in import _operator_token
from e2e.bench.ratios import Figure, Results, share_of_limit
from e2e.seed_members import PASSWORD, seed_members
from snp.membership.v1 import events_pb2 as membership
from snp_identity.domain.contacts import Contact
from snp_messaging.adapters.channels import Outgoing
from snp_messaging.adapters.smtp import build_email
from snp_messaging.settings import MessagingSettings
from snp_platform.eventstore import (
    ANY_VERSION,
    EventMetadata,
    EventStore,
    NewEvent,
    Stream,
    create_platform_schema,
)
from snp_platform.relay import Relay
from snp_stack import processes

SUBJECT, BODY = "Bench alert", "A message to everyone in the ward panel."
RAW_SECONDS = 10


def _wait(condition: Any, timeout: float, what: str, interval: float = 0.2) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise SystemExit(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)
    return time.monotonic()


def _publish_group(stack: Any, tenant: str, chair: str, members: list[str]) -> str:
    """Membership's events for one group, from a store of the benchmark's own, relayed."""
    name = f"bench_membership_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(stack.database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_conninfo(stack.database_url, dbname=name)
    create_platform_schema(url)
    group_id = str(uuid.uuid4())
    ref = membership.GroupRef(
        group_id=group_id,
        tenant=tenant,
        group_type="ward_panel",
        ward_code="B01",
        ward_name="Bench Ward",
    )
    events = [
        membership.GroupCreated(
            group=ref, name="Bench Ward Panel", first_officer=chair, first_officer_role="chair"
        ),
        membership.MemberAdmitted(group=ref, account_id=chair),
        membership.OfficerAppointed(group=ref, account_id=chair, role="chair"),
        *(membership.MemberAdmitted(group=ref, account_id=m) for m in members),
    ]
    with ConnectionPool(url, min_size=1, max_size=2) as pool:
        store = EventStore(pool)
        for start in range(0, len(events), 5000):
            store.append(
                Stream(tenant, group_id),
                [
                    NewEvent(f"membership.{e.DESCRIPTOR.name}", e.SerializeToString())
                    for e in events[start : start + 5000]
                ],
                ANY_VERSION,
                EventMetadata(actor="bench"),
            )
        relay = Relay(pool, stack.kafka_bootstrap, "membership")
        while relay.relay_once():
            pass
        del relay
    return group_id


def _spawn_worker(stack: Any, name: str) -> processes.Component:
    log = stack.logs_dir / f"{name}.log"
    env = {**os.environ, **stack.service_env("messaging")}
    proc = processes.spawn(name, ["snp-messaging", "worker"], log, env=env)
    return processes.Component(name, "", proc.pid, str(log), processes.start_time(proc.pid))


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def raw_smtp_rate(host: str, port: int, threads: int, seconds: float) -> float:
    """Mails per second plain smtplib hands to the sink: `threads` connections at once, each
    sending the same mail one after another for `seconds`."""
    counts = [0] * threads
    deadline = time.monotonic() + seconds

    def send(index: int) -> None:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            while time.monotonic() < deadline:
                address = f"raw{index}-{counts[index]}@bench.example"
                outgoing = Outgoing(f"raw-{uuid.uuid4()}", address, "R", SUBJECT, BODY)
                smtp.send_message(build_email(outgoing, "bench@bench.example", "bench.example"))
                counts[index] += 1

    senders = [threading.Thread(target=send, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    return sum(counts) / (time.monotonic() - started)


def run(stack: Any, results: Results) -> None:
    size = int(os.environ.get("SNP_BENCH_MESSAGING_RECIPIENTS", "3000"))
    extra = int(os.environ.get("SNP_BENCH_MESSAGING_WORKERS", "2"))
    identity_http = stack.ports.services["identity"][0]
    messaging_http = stack.ports.services["messaging"][0]
    with httpx.Client(base_url=f"http://127.0.0.1:{identity_http}/identity", timeout=60) as api:
        operator = _operator_token(stack, api)
        tenant = f"bench-{uuid.uuid4().hex[:6]}"
        api.post(
            "/tenants",
            headers={"Authorization": f"Bearer {operator}"},
            json={"slug": tenant, "display_name": "Bench Force"},
        ).raise_for_status()
        started = time.monotonic()
        people = seed_members(
            stack.service_env("identity"),
            tenant,
            [Contact(f"Member {i}", f"m{i}@bench.example") for i in range(size + 1)],
        )
        chair, members = people[0], [p.account_id for p in people[1:]]
        print(
            f"messaging: seeded {size + 1} accounts in identity in "
            f"{time.monotonic() - started:.0f}s"
        )
        started = time.monotonic()
        group_id = _publish_group(stack, tenant, chair.account_id, members)
        messaging_db = stack.service_database_url("messaging")

        def projected() -> bool:
            with psycopg.connect(messaging_db) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM group_roles WHERE group_id = %s", (group_id,)
                ).fetchone()
            return bool(row and row[0] >= size + 2)

        _wait(projected, 1800, "messaging's projection of the group", 1.0)
        print(
            f"messaging: membership events published and projected in "
            f"{time.monotonic() - started:.0f}s"
        )
        token = api.post(
            "/sessions", json={"tenant": tenant, "email": chair.email, "password": PASSWORD}
        ).json()["access_token"]
    workers = [_spawn_worker(stack, f"bench-worker-{i}") for i in range(extra)]
    try:
        rate = _measure(
            stack, messaging_http, messaging_db, token, group_id, size + 1, len(workers) + 1
        )
    finally:
        peaks = {
            c.name: _peak_kib(c.pid)
            for c in stack.components
            if c.name.startswith("messaging-") and c.pid
        }
        peaks |= {w.name: _peak_kib(w.pid) for w in workers if w.pid}
        for worker in workers:
            processes.stop(worker)
    print(
        "messaging: peak memory (VmHWM) "
        + ", ".join(f"{name} {kib / 1024:.0f} MiB" for name, kib in sorted(peaks.items()))
    )
    threads = (len(workers) + 1) * MessagingSettings.model_fields["worker_threads"].default
    smtp = stack.smtp_env()
    limit = raw_smtp_rate(smtp["SNP_SMTP_HOST"], int(smtp["SNP_SMTP_PORT"]), threads, RAW_SECONDS)
    results.add(
        Figure(
            f"email deliveries through SMTP ({size + 1} recipients)",
            rate,
            "deliveries/s",
            limit,
            f"plain smtplib into the same sink, {threads} connections",
            share_of_limit(0.5),
        )
    )


def _measure(
    stack: Any,
    http_port: int,
    database_url: str,
    token: str,
    group_id: str,
    total: int,
    workers: int,
) -> float:
    """Prints the send's timings; returns deliveries per second from the first to the last."""

    def count(where: str) -> int:
        with psycopg.connect(database_url) as conn:
            row = conn.execute(f"SELECT count(*) FROM deliveries WHERE {where}").fetchone()
        return int(row[0]) if row else 0

    body = {
        "subject": SUBJECT,
        "body": BODY,
        "audience": {"type": "group", "id": group_id},
    }
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/messaging", timeout=600) as api:
        posted = time.monotonic()
        answer = api.post("/messages", headers={"Authorization": f"Bearer {token}"}, json=body)
        accepted = time.monotonic()
    answer.raise_for_status()
    message_id = answer.json()["id"]
    mine = f"message_id = '{message_id}'"
    queued = _wait(lambda: count(f"{mine} AND status = 'pending'") == 0, 1800, "all queued")
    first_sent = _wait(lambda: count(f"{mine} AND status = 'sent'") > 0, 1800, "a first send")
    done = _wait(
        lambda: count(f"{mine} AND status IN ('sent', 'failed', 'bounced')") >= total,
        7200,
        "every delivery final",
        1.0,
    )
    sent = count(f"{mine} AND status = 'sent'")
    print(
        f"messaging: {total} recipients; send request {accepted - posted:.1f}s "
        f"(every inbox entry and delivery recorded); all queued on the topic "
        f"{queued - posted:.1f}s after the request"
    )
    print(
        f"messaging: {sent} sent through SMTP to the local sink in {done - posted:.0f}s "
        f"with {workers} workers: {sent / (done - first_sent):.0f} deliveries/s "
        f"(from the first send to the last)"
    )
    return sent / (done - first_sent)
