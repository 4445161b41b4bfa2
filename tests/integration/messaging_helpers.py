"""Helpers for messaging's tests against the running stack: a force with staff and members,
membership's and documents' events published through a real event store and relay, and the
local mail sink's mailbox."""

from __future__ import annotations

import email
import email.policy
import mailbox
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from google.protobuf.message import Message
from psycopg_pool import ConnectionPool

from e2e.seed_members import PASSWORD, seed_members
from snp.membership.v1 import events_pb2 as membership
from snp_identity.domain.contacts import Contact
from snp_platform.eventstore import ANY_VERSION, EventMetadata, EventStore, NewEvent, Stream
from snp_platform.relay import Relay
from tests.integration.test_identity_api import (
    bearer,
    create_operator,
    enrol_totp,
    next_code,
    sign_in,
)

__all__ = ["PASSWORD", "bearer"]


@dataclass
class Person:
    account_id: str
    email: str
    name: str
    token: str = ""


@dataclass
class Force:
    tenant: str
    display_name: str
    police: Person
    admin: Person
    members: dict[str, Person] = field(default_factory=dict)


def _staff_token(identity: httpx.Client, tenant: str, email_address: str) -> str:
    first = sign_in(identity, tenant, email_address)
    assert first.status_code == 200, first.text
    secret, _codes = enrol_totp(identity, first.json()["access_token"])
    signed = sign_in(identity, tenant, email_address, next_code(secret))
    assert signed.status_code == 200, signed.text
    return str(signed.json()["access_token"])


def _account_id(identity: httpx.Client, token: str) -> str:
    me = identity.get("/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    body = me.json()
    return str(body.get("account_id") or body["id"])


def new_force(stack: Any, identity: httpx.Client) -> Force:
    """A tenant with its first admin and a police officer, both signed in with MFA."""
    run = uuid.uuid4().hex[:8]
    operator_email = f"op-{run}@council.example"
    create_operator(stack, operator_email)
    op = sign_in(identity, "platform", operator_email).json()["access_token"]
    secret, _ = enrol_totp(identity, op)
    op = sign_in(identity, "platform", operator_email, next_code(secret)).json()["access_token"]
    tenant, display = f"force-{run}", f"Test Constabulary {run}"
    made = identity.post(
        "/tenants", headers=bearer(op), json={"slug": tenant, "display_name": display}
    )
    assert made.status_code == 201, made.text
    admin_email = f"admin@{tenant}.example"
    created = identity.post(
        "/accounts",
        headers=bearer(op),
        json={
            "kind": "tenant_admin",
            "tenant": tenant,
            "display_name": "Force Admin",
            "email": admin_email,
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    admin_token = _staff_token(identity, tenant, admin_email)
    police_email = f"pc-{run}@{tenant}.example"
    created = identity.post(
        "/accounts",
        headers=bearer(admin_token),
        json={
            "kind": "police",
            "tenant": tenant,
            "display_name": "PC Jo Patel",
            "email": police_email,
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    police_token = _staff_token(identity, tenant, police_email)
    return Force(
        tenant,
        display,
        Person(_account_id(identity, police_token), police_email, "PC Jo Patel", police_token),
        Person(_account_id(identity, admin_token), admin_email, "Force Admin", admin_token),
    )


def new_police_officer(identity: httpx.Client, force: Force, name: str) -> Person:
    """Another police officer of the force (created by its admin), signed in with MFA."""
    address = f"pc-{uuid.uuid4().hex[:8]}@{force.tenant}.example"
    created = identity.post(
        "/accounts",
        headers=bearer(force.admin.token),
        json={
            "kind": "police",
            "tenant": force.tenant,
            "display_name": name,
            "email": address,
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    token = _staff_token(identity, force.tenant, address)
    return Person(_account_id(identity, token), address, name, token)


def add_members(
    stack: Any,
    force: Force,
    names: list[str],
    domain: str = "residents.example",
    phones: dict[str, str] | None = None,
) -> dict[str, Person]:
    """Member accounts (through identity's own code), keyed by the given names."""
    run = uuid.uuid4().hex[:6]
    phones = phones or {}
    contacts = [Contact(f"Resident {n}", f"{n}-{run}@{domain}", phones.get(n, "")) for n in names]
    seeded = seed_members(stack.service_env("identity"), force.tenant, contacts)
    people = {
        n: Person(s.account_id, s.email, s.display_name) for n, s in zip(names, seeded, strict=True)
    }
    force.members.update(people)
    return people


def member_token(identity: httpx.Client, force: Force, person: Person) -> str:
    if not person.token:
        signed = sign_in(identity, force.tenant, person.email)
        assert signed.status_code == 200, signed.text
        person.token = str(signed.json()["access_token"])
    return person.token


class EventPublisher:
    """Another service's events, appended to a real event store and relayed to its topic."""

    def __init__(self, database_url: str, bootstrap: str, service: str) -> None:
        self._pool = ConnectionPool(database_url, min_size=1, max_size=2, open=True)
        self._store = EventStore(self._pool)
        self._relay = Relay(self._pool, bootstrap, service)
        self._service = service

    def publish(self, tenant: str, stream_id: str, *events: Message) -> None:
        new = [
            NewEvent(f"{self._service}.{e.DESCRIPTOR.name}", e.SerializeToString()) for e in events
        ]
        self._store.append(Stream(tenant, stream_id), new, ANY_VERSION, EventMetadata(actor="test"))
        while self._relay.relay_once():
            pass

    def close(self) -> None:
        del self._relay  # its producer goes now, not when the brokers are already gone
        self._pool.close()


def group_ref(
    force: Force, group_id: str, ward: str, group_type: str = "neighbourhood_watch"
) -> membership.GroupRef:
    return membership.GroupRef(
        group_id=group_id,
        tenant=force.tenant,
        group_type=group_type,
        ward_code=ward,
        ward_name=f"Ward {ward}",
    )


def publish_group(
    publisher: EventPublisher,
    force: Force,
    name: str,
    ward: str,
    chair: Person,
    members: list[Person],
    group_type: str = "neighbourhood_watch",
) -> str:
    """A group created by `chair` (its chair), with `members` admitted: membership's events."""
    group_id = str(uuid.uuid4())
    ref = group_ref(force, group_id, ward, group_type)
    events: list[Message] = [
        membership.GroupCreated(
            group=ref,
            name=name,
            visibility="public",
            directory="officers",
            created_by=chair.account_id,
            first_officer=chair.account_id,
            first_officer_role="chair",
        ),
        membership.MemberAdmitted(group=ref, account_id=chair.account_id),
        membership.OfficerAppointed(
            group=ref, account_id=chair.account_id, role="chair", appointed_by=chair.account_id
        ),
    ]
    events += [
        membership.MemberAdmitted(group=ref, account_id=m.account_id, admitted_by=chair.account_id)
        for m in members
    ]
    publisher.publish(force.tenant, group_id, *events)
    return group_id


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what or condition}")


def mails_to(maildir: Path, address: str) -> list[email.message.EmailMessage]:
    """Mails the sink accepted for `address` (by envelope recipient)."""
    found = []
    for key in mailbox.Maildir(maildir, create=False).iterkeys():
        path = _mail_path(maildir, key)
        if path is None:
            continue
        raw = path.read_bytes()
        first = raw.split(b"\r\n", 1)[0].decode(errors="replace")
        if first.lower() == f"x-envelope-to: {address}".lower():
            found.append(email.message_from_bytes(raw, policy=email.policy.default))
    return found


def body_text(mail: email.message.EmailMessage) -> str:
    """The text of a mail's body part (plain text preferred)."""
    body = mail.get_body()
    assert body is not None, "the mail has no body"
    return str(body.get_content())


def envelope_recipients(maildir: Path) -> list[str]:
    """The envelope recipient of every mail the sink kept (one entry per copy)."""
    found = []
    for sub in ("new", "cur"):
        folder = maildir / sub
        if not folder.exists():
            continue
        for path in folder.iterdir():
            with path.open("rb") as mail:
                first = mail.readline().decode(errors="replace").strip()
            found.append(first.partition(":")[2].strip().lower())
    return found


def _mail_path(maildir: Path, key: str) -> Path | None:
    for sub in ("new", "cur"):
        for candidate in (maildir / sub).glob(f"{key}*"):
            return candidate
    return None
