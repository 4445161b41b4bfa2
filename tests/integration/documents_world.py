"""A world for the documents tests: real accounts of every kind signed in through identity's
API, and membership's events appended to an event store and relayed onto
`snp.membership.events` (real PostgreSQL and Kafka) for documents' group-roles consumer."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pyotp
from psycopg_pool import ConnectionPool

from snp.membership.v1 import events_pb2 as mpb
from snp_identity.domain.contacts import Contact
from snp_identity.domain.tenants import OPERATORS_TENANT
from snp_identity.entrypoints.app import build_context
from snp_identity.service_layer import accounts, agencies, second_factor, tenants
from snp_identity.settings import IdentitySettings
from snp_platform.eventstore import ANY_VERSION, EventMetadata, EventStore, NewEvent, Stream
from snp_platform.relay import Relay

PASSWORD = "correct horse battery staple 42"


@dataclass(frozen=True)
class Account:
    kind: str
    tenant: str
    account_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def identity_context(stack: Any, pool: ConnectionPool[Any]) -> Any:
    env = stack.service_env("identity")
    settings = IdentitySettings(
        database_url=stack.service_database_url("identity"),
        keks=env["SNP_KEKS"],
        blind_index_key=env["SNP_BLIND_INDEX_KEY"],
    )
    return build_context(settings, pool)


def make_accounts(stack: Any, tenant: str, kinds: list[tuple[str, str]]) -> dict[str, Account]:
    """Accounts (name, kind) in `tenant` (operators in theirs), enrolled in TOTP and signed in
    through identity's REST API, so their tokens carry MFA as real sign-ins do."""
    http_port, _ = stack.ports.services["identity"]
    made: dict[str, Account] = {}
    meta = EventMetadata(actor="test:documents")
    with ConnectionPool(stack.service_database_url("identity"), min_size=1, max_size=2) as pool:
        ctx = identity_context(stack, pool)
        if not tenants.tenant_exists(ctx.streams, tenant):
            tenants.register_tenant(ctx.streams, tenant, f"Force {tenant}", meta)
        secrets: dict[str, tuple[str, str, str]] = {}
        agency = ""  # one partner agency of the force, made for the first partner asked for
        for name, kind in kinds:
            home = OPERATORS_TENANT if kind == "operator" else tenant
            email = f"{name}-{uuid.uuid4().hex[:6]}@{tenant}.example"
            if kind == "partner" and not agency:
                council = f"Council ASB team {uuid.uuid4().hex[:6]}"
                agency = agencies.register_agency(ctx, tenant, council, "council", "test", meta)
            account_id = accounts.register_account(
                ctx,
                home,
                kind,
                Contact(f"Test {name}", email),
                PASSWORD,
                meta,
                "test",
                agency_id=agency if kind == "partner" else "",
            )
            enrolment = second_factor.start(ctx, home, account_id, meta)
            second_factor.confirm(
                ctx, home, account_id, pyotp.TOTP(enrolment.secret).at(time.time()), meta
            )
            secrets[name] = (home, email, enrolment.secret)
            made[name] = Account(kind, home, account_id, "")
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/identity", timeout=30) as api:
        for name, (home, email, secret) in secrets.items():
            # The current step's code was used to confirm: sign in with the next one.
            code = pyotp.TOTP(secret).at(time.time() + 30)
            body = {"tenant": home, "email": email, "password": PASSWORD, "code": code}
            signed = api.post("/sessions", json=body)
            assert signed.status_code == 200, signed.text
            made[name] = Account(
                made[name].kind, home, made[name].account_id, signed.json()["access_token"]
            )
    return made


class Membership:
    """Membership's side of the world: its events, relayed onto its topic for real."""

    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self._store = EventStore(pool)

    def record(self, tenant: str, group_id: str, *events: Any) -> None:
        new = [NewEvent(f"membership.{e.DESCRIPTOR.name}", e.SerializeToString()) for e in events]
        self._store.append(
            Stream(tenant, group_id), new, ANY_VERSION, EventMetadata(actor="test:membership")
        )

    def group(self, tenant: str, chair: str, group_id: str | None = None) -> str:
        """A Neighbourhood Watch group with `chair` as its founding chair."""
        group_id = group_id or str(uuid.uuid4())
        ref = self.ref(tenant, group_id)
        self.record(
            tenant,
            group_id,
            mpb.GroupCreated(
                group=ref,
                name="Test Watch",
                visibility="hidden",
                directory="officers",
                created_by=chair,
                first_officer=chair,
                first_officer_role="chair",
            ),
            mpb.MemberAdmitted(group=ref, account_id=chair, admitted_by=chair),
            mpb.OfficerAppointed(group=ref, account_id=chair, role="chair", appointed_by=chair),
        )
        return group_id

    @staticmethod
    def ref(tenant: str, group_id: str) -> mpb.GroupRef:
        return mpb.GroupRef(group_id=group_id, tenant=tenant, group_type="neighbourhood_watch")

    def admit(self, tenant: str, group_id: str, account_id: str, role: str = "") -> None:
        ref = self.ref(tenant, group_id)
        events: list[Any] = [mpb.MemberAdmitted(group=ref, account_id=account_id)]
        if role:
            events.append(mpb.OfficerAppointed(group=ref, account_id=account_id, role=role))
        self.record(tenant, group_id, *events)


@contextmanager
def membership_relay(stack: Any, database_url: str) -> Iterator[Membership]:
    """A membership event store in `database_url`, relayed to `snp.membership.events`."""
    with ConnectionPool(database_url, min_size=1, max_size=4) as pool:
        relay = Relay(pool, stack.kafka_bootstrap, "membership")
        stop = threading.Event()
        thread = threading.Thread(target=relay.run, args=(stop,), daemon=True)
        thread.start()
        try:
            yield Membership(pool)
        finally:
            stop.set()
            thread.join(timeout=30)


def roles_in_documents(stack: Any, group_id: str, account_id: str) -> set[str]:
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        rows = conn.execute(
            "SELECT role FROM group_roles WHERE group_id = %s AND account_id = %s",
            (group_id, account_id),
        ).fetchall()
    return {r[0] for r in rows}


def found_group(membership: httpx.Client, chair: Account) -> str:
    """A public community group founded through membership's API by `chair`."""
    body = {
        "group_type": "community_group",
        "name": "Elm Street Residents",
        "description": "Residents of Elm Street",
        "ward_code": "E05000138",
        "ward_name": "Bloomsbury",
        "visibility": "public",
        "directory": "officers",
    }
    deadline = time.monotonic() + 60
    while True:  # membership learns the new tenant from identity's events
        made = membership.post("/groups", headers=chair.headers, json=body)
        if made.status_code != 409 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert made.status_code == 201, made.text
    return str(made.json()["group_id"])


def join_group(membership: httpx.Client, group: str, who: Account, chair: Account) -> None:
    """`who` asks to join and `chair` admits, through membership's API."""
    asked = membership.post(f"/groups/{group}/join-requests", headers=who.headers)
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    admitted = membership.post(
        f"/groups/{group}/join-requests/{request_id}/admit", headers=chair.headers, json={}
    )
    assert admitted.status_code == 200, admitted.text
