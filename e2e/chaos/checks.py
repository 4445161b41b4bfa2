"""What the chaos run holds the platform to once the faults are over and everything settled:
every answer outside an outage window a success or a refusal, never a 5xx; inside one a 503
with Retry-After at worst, never a 500 or a hang; no event lost between a store, its topic and
audit; each admission applied once; each recipient mailed once but for the documented window;
every delivery served; every document served with its own bytes."""

from __future__ import annotations

import email
import mailbox
import os
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg

from e2e.chaos.faults import Window
from e2e.chaos.workload import Answer, Effects
from e2e.load.people import World
from snp.membership.v1 import events_pb2 as membership_pb
from snp_stack import services
from tests.integration.kafka_helpers import read_topic

SENDING_THREADS = 8  # messaging's worker_threads: each may resend one mail per crash
UNFINISHED = ("pending", "queued", "held")


@dataclass
class Findings:
    figures: dict[str, Any] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)

    def require(self, holds: bool, what: str) -> None:
        if not holds:
            self.broken.append(what)


def _inside(answer: Answer, windows: list[Window]) -> list[Window]:
    return [w for w in windows if answer.started <= w.ended and answer.ended >= w.started]


def judge_answers(answers: list[Answer], windows: list[Window], found: Findings) -> None:
    """Outside every window: no 5xx and no failed request. Inside: no 500 and no timeout; a
    503 says when to retry; no answer at all only while an api process itself was down."""
    outside_bad: Counter[str] = Counter()
    inside_bad: Counter[str] = Counter()
    inside = outside = 0
    for answer in answers:
        during = _inside(answer, windows)
        what = f"{answer.operation}: {answer.status or answer.error}"
        if not during:
            outside += 1
            if answer.status == 0 or answer.status >= 500:
                outside_bad[what] += 1
            continue
        inside += 1
        api_down = any(w.fault.component.endswith("-api") for w in during)
        what += f" (during {', '.join(w.fault.label for w in during)})"
        if answer.status == 0 and (answer.error == "timeout" or not api_down):
            inside_bad[what] += 1
        elif answer.status == 503 and not answer.retry_after:
            inside_bad[what + " without Retry-After"] += 1
        elif answer.status >= 500 and answer.status != 503:
            inside_bad[what] += 1
    found.figures["requests"] = len(answers)
    found.figures["requests outside outages"] = outside
    found.figures["requests inside outages"] = inside
    failed_share = sum(outside_bad.values()) / max(outside, 1)
    found.figures["error rate outside outages"] = f"{failed_share:.2%}"
    found.require(not outside_bad, f"failures outside the outage windows: {dict(outside_bad)}")
    found.require(not inside_bad, f"answers inside the outage windows: {dict(inside_bad)}")


def _store_events(stack: Any, service: str, tenant: str) -> list[str]:
    with psycopg.connect(stack.service_database_url(service)) as conn:
        rows = conn.execute("SELECT event_id::text FROM events WHERE tenant = %s", (tenant,))
        return [row[0] for row in rows.fetchall()]


def _header(message: Any, name: str) -> str:
    value = dict(message.headers() or []).get(name)
    return value.decode() if isinstance(value, bytes) else str(value or "")


def judge_events(stack: Any, tenant: str, found: Findings) -> None:
    """Every stored event is on its topic (a copy a killed relay published again is counted,
    consumers recognise it) and in audit exactly once; every tenant's chain verifies."""
    with psycopg.connect(stack.service_database_url("audit")) as conn:
        rows = conn.execute(
            "SELECT ref, count(*) FROM audit_entries WHERE source = 'event' AND tenant = %s"
            " GROUP BY ref",
            (tenant,),
        ).fetchall()
    audited = {str(ref): int(n) for ref, n in rows}
    stored_total = republished = 0
    for service in services.EVENT_SERVICE_NAMES:
        stored = set(_store_events(stack, service, tenant))
        on_topic = Counter(
            _header(m, "snp-event-id")
            for m in read_topic(stack.kafka_bootstrap, f"snp.{service}.events")
            if _header(m, "snp-tenant") == tenant
        )
        stored_total += len(stored)
        republished += sum(n - 1 for n in on_topic.values())
        missing = stored - set(on_topic)
        found.require(not missing, f"{service}: {len(missing)} stored events never reached Kafka")
        if service != "audit":
            unaudited = [e for e in stored if audited.get(e) != 1]
            found.require(not unaudited, f"{service}: {len(unaudited)} events not audited once")
    found.figures["events stored"] = stored_total
    found.figures["events published twice (consumers skip the copy)"] = republished
    env = {**os.environ, **stack.service_env("audit")}
    checked = subprocess.run(["snp-audit", "self-check"], env=env, capture_output=True, text=True)
    found.require(checked.returncode == 0, f"audit self-check: {checked.stdout}{checked.stderr}")


def judge_admissions(stack: Any, effects: Effects, found: Findings) -> None:
    """Each admission answered 2xx is a member once, and no one was admitted twice to a group
    by one join request (a retried command applied again would show as a second event)."""
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        members = {
            (str(g), str(a))
            for g, a in conn.execute("SELECT group_id, account_id FROM group_members").fetchall()
        }
        payloads = conn.execute(
            "SELECT payload FROM events WHERE event_type = 'membership.MemberAdmitted'"
        ).fetchall()
    admitted: Counter[tuple[str, str, str]] = Counter()
    for (payload,) in payloads:
        event = membership_pb.MemberAdmitted.FromString(bytes(payload))
        admitted[(event.group.group_id, event.account_id, event.request_id)] += 1
    twice = [key for key, n in admitted.items() if n > 1]
    lost = effects.admitted - members
    found.figures["admissions answered 2xx"] = len(effects.admitted)
    found.require(not lost, f"{len(lost)} admissions answered 2xx are not members")
    found.require(not twice, f"admissions applied twice: {twice[:3]}")


def judge_deliveries(stack: Any, effects: Effects, kills: int, found: Findings) -> None:
    """Every delivery of every message sent is finished (sent; nothing left waiting), and each
    mail reached the sink once, but for a resend per sending thread per crash."""
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        counts: dict[str, int] = dict(
            conn.execute(
                "SELECT status, count(*) FROM deliveries WHERE message_id = ANY(%s::uuid[])"
                " GROUP BY status",
                (effects.messages,),
            ).fetchall()
        )
    unfinished = {s: n for s, n in counts.items() if s in UNFINISHED}
    found.figures["messages sent"] = len(effects.messages)
    found.figures["deliveries"] = dict(counts)
    found.require(not unfinished, f"deliveries never served: {unfinished}")
    copies: Counter[str] = Counter()
    box = mailbox.Maildir(stack.maildir, create=False)
    for key in box.iterkeys():
        mail = email.message_from_bytes(box.get_bytes(key))
        copies[str(mail.get("X-SNP-Delivery-Id", ""))] += 1
    duplicates = sum(n - 1 for delivery, n in copies.items() if delivery and n > 1)
    bound = SENDING_THREADS * kills
    found.figures["mails sent twice"] = f"{duplicates} (bound {bound}: {kills} crashes)"
    found.require(duplicates <= bound, f"{duplicates} mails sent twice, more than {bound}")


def judge_documents(world: World, effects: Effects, found: Findings) -> None:
    """Every document answered 201 is served afterwards, to its uploader, with its bytes."""
    tokens = {c.account_id: c.token for c in world.coordinators}
    wrong = list(effects.downloads_wrong)
    with httpx.Client(base_url=world.urls["documents"], timeout=30) as client:
        for document, (uploader, data) in effects.uploads.items():
            headers = {"Authorization": f"Bearer {tokens[uploader]}"}
            got = client.get(f"/documents/documents/{document}/content", headers=headers)
            if got.status_code != 200 or got.content != data:
                wrong.append(f"{document}: {got.status_code}")
    found.figures["documents uploaded"] = len(effects.uploads)
    found.require(not wrong, f"documents not served with their bytes: {wrong[:3]}")
