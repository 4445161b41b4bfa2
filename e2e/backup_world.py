"""What the backup drill puts in a stack before the backup, and how it sees a stack settle.

A force with a chair, three members and an auditor (each with a password and an authenticator,
made through identity's own code, signed in over its REST API), a community group they joined
through membership's API, a message to the group that mailed each of them, and as many more
accounts as asked for (e2e.seed_members' fast path: the same events and rows)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
from psycopg_pool import ConnectionPool

from e2e.authenticator import Authenticator
from e2e.seed_members import seed_members
from snp_identity.domain.contacts import Contact
from snp_identity.service_layer import accounts, second_factor, tenants
from snp_platform.consumer_lag import lag_per_topic
from snp_platform.eventstore import EventMetadata
from snp_stack import services
from tests.integration.documents_world import Account, found_group, identity_context, join_group

PASSWORD = "correct horse battery staple 42"
META = EventMetadata(actor="e2e:backup-drill")
SUBJECT = "Elm Street: before the backup"
# Every consumer group and what it reads (audit: every events topic).
CONSUMERS = {
    "membership-identity": ["snp.identity.events"],
    "documents.group-roles": ["snp.membership.events", "snp.identity.events"],
    "engagement.group-roles": ["snp.membership.events", "snp.identity.events"],
    "messaging-projections": [f"snp.{s}.events" for s in ("identity", "membership", "documents")],
    "messaging-delivery-workers": ["snp.messaging.deliveries"],
    "audit": [r"^snp\..+\.events$"],
}


@dataclass
class Resident:
    name: str
    kind: str
    tenant: str
    account_id: str
    email: str
    app: Authenticator
    token: str = ""

    def as_account(self) -> Account:
        return Account(self.kind, self.tenant, self.account_id, self.token)


@dataclass
class World:
    tenant: str
    people: dict[str, Resident] = field(default_factory=dict)
    group_id: str = ""

    @property
    def members(self) -> list[Resident]:
        return [p for p in self.people.values() if p.kind == "member"]


def client(stack: Any, service: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=60)


def sign_in(stack: Any, who: Resident) -> httpx.Response:
    """Password and the authenticator's next code, over identity's REST API."""
    body = {"tenant": who.tenant, "email": who.email, "password": PASSWORD, "code": who.app.code()}
    with client(stack, "identity") as identity:
        return identity.post("/sessions", json=body)


def _register(ctx: Any, tenant: str, name: str, kind: str) -> Resident:
    email = f"{name}-{uuid.uuid4().hex[:6]}@{tenant}.example"
    contact = Contact(f"{name.title()} Resident", email)
    account_id = accounts.register_account(ctx, tenant, kind, contact, PASSWORD, META, "e2e")
    enrolment = second_factor.start(ctx, tenant, account_id, META)
    app = Authenticator(enrolment.secret)
    second_factor.confirm(ctx, tenant, account_id, app.code(), META)
    return Resident(name, kind, tenant, account_id, email, app)


def seed(stack: Any, more_accounts: int) -> World:
    world = World(f"force-{uuid.uuid4().hex[:8]}")
    kinds = [("chair", "member"), ("ann", "member"), ("bo", "member"), ("cy", "member")]
    with ConnectionPool(stack.service_database_url("identity"), min_size=1, max_size=2) as pool:
        ctx = identity_context(stack, pool)
        tenants.register_tenant(ctx.streams, world.tenant, "Drill Constabulary", META)
        for name, kind in [*kinds, ("auditor", "auditor")]:
            world.people[name] = _register(ctx, world.tenant, name, kind)
    for person in world.people.values():
        signed = sign_in(stack, person)
        assert signed.status_code == 200, signed.text
        person.token = signed.json()["access_token"]
    chair = world.people["chair"].as_account()
    with client(stack, "membership") as membership:
        world.group_id = found_group(membership, chair)
        for member in world.members[1:]:
            join_group(membership, world.group_id, member.as_account(), chair)
    _message_the_group(stack, world)
    if more_accounts:
        contacts = [
            Contact(f"Resident {i}", f"r{i}-{uuid.uuid4().hex[:6]}@{world.tenant}.example")
            for i in range(more_accounts)
        ]
        seed_members(stack.service_env("identity"), world.tenant, contacts)
    return world


def _message_the_group(stack: Any, world: World) -> None:
    """A message every member is mailed once: its jobs stay on the delivery topic."""
    chair = world.people["chair"]
    audience = {"type": "group", "id": world.group_id}
    body = {"subject": SUBJECT, "body": "Meet at 10.", "audience": audience}
    with client(stack, "messaging") as messaging:
        for _ in range(120):  # messaging learns the members from membership's events
            sent = messaging.post("/messages", headers=_bearer(chair.token), json=body)
            if sent.status_code == 202 and sent.json()["recipients"] == len(world.members):
                break
            time.sleep(0.5)
        assert sent.status_code == 202, sent.text
        wait_until(lambda: _all_sent(messaging, chair.token, sent.json()["id"], 4), "deliveries")


def _all_sent(messaging: httpx.Client, token: str, message_id: str, total: int) -> bool:
    deliveries = messaging.get(f"/messages/{message_id}", headers=_bearer(token)).json()
    return bool(deliveries["deliveries"]["sent"] == total)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 300.0) -> float:
    """Seconds it took `condition` to hold."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.5)
    return time.monotonic() - started


def settled(stack: Any) -> bool:
    """Every relay has published its whole store and every consumer group has read every
    topic to its end."""
    for service in services.EVENT_SERVICE_NAMES:
        with psycopg.connect(stack.service_database_url(service)) as conn:
            row = conn.execute(
                "SELECT (SELECT coalesce(max(position), 0) FROM events),"
                " (SELECT coalesce(max(position), 0) FROM relay_checkpoints)"
            ).fetchone()
        if service != "audit" and row is not None and row[0] != row[1]:
            return False
    return all(
        not any(lag_per_topic(stack.kafka_bootstrap, group, topics).values())
        for group, topics in CONSUMERS.items()
    )
