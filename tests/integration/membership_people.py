"""People for membership's tests: a force registered with identity, accounts of every kind
(staff with an authenticator enrolled, as the demo seed does), each signed in over identity's
REST API for a real access token. Nothing here is membership's code."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pyotp
import pytest
from psycopg_pool import ConnectionPool

from snp_identity.domain.contacts import Contact
from snp_identity.entrypoints.app import build_context
from snp_identity.service_layer import accounts, second_factor, tenants
from snp_identity.service_layer.context import IdentityContext
from snp_identity.settings import IdentitySettings
from snp_platform.eventstore import EventMetadata
from snp_platform.settings import load_settings

PASSWORD = "correct horse battery staple 42"
META = EventMetadata(actor="test:membership")


@dataclass(frozen=True)
class Person:
    account_id: str
    kind: str
    tenant: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@contextmanager
def identity_context(stack: Any) -> Iterator[IdentityContext]:
    env = stack.service_env("identity")
    settings = load_settings(
        IdentitySettings,
        database_url=env["DATABASE_URL"],
        keks=env["SNP_KEKS"],
        blind_index_key=env["SNP_BLIND_INDEX_KEY"],
    )
    with ConnectionPool(settings.database_url, min_size=1, max_size=2) as pool:
        yield build_context(settings, pool)


class Force:
    """One tenant and the people in it."""

    def __init__(self, stack: Any, ctx: IdentityContext, identity: httpx.Client) -> None:
        self.tenant = f"force-{uuid.uuid4().hex[:8]}"
        self._stack, self._ctx, self._identity = stack, ctx, identity
        tenants.register_tenant(ctx.streams, self.tenant, "Test Constabulary", META)

    def person(
        self, kind: str = "member", name: str = "Alex Resident", enrol: bool = True
    ) -> Person:
        """Signed in; a staff account enrols its authenticator first unless `enrol` is False."""
        email = f"{kind}-{uuid.uuid4().hex[:10]}@{self.tenant}.example"
        account_id = accounts.register_account(
            self._ctx, self.tenant, kind, Contact(name, email), PASSWORD, META, "test"
        )
        body = {"tenant": self.tenant, "email": email, "password": PASSWORD}
        if kind != "member" and enrol:
            enrolment = second_factor.start(self._ctx, self.tenant, account_id, META)
            totp = pyotp.TOTP(enrolment.secret)
            second_factor.confirm(self._ctx, self.tenant, account_id, totp.now(), META)
            body["code"] = totp.at(time.time() + 30)  # the current step was just used
        signed = self._identity.post("/sessions", json=body)
        assert signed.status_code == 200, signed.text
        return Person(account_id, kind, self.tenant, signed.json()["access_token"])


def people_in_new_forces(stack: Any, *forces: dict[str, tuple[str, str]]) -> dict[str, Person]:
    """People signed in with identity, in one new force per mapping (key -> (kind, name)),
    returned once membership has learnt of every one of those forces."""
    found: dict[str, Person] = {}
    tenants_made: list[str] = []
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        for people in forces:
            force = Force(stack, ctx, identity)
            tenants_made.append(force.tenant)
            found.update({key: force.person(kind, name) for key, (kind, name) in people.items()})
    for tenant in tenants_made:
        wait_for_tenant(stack, tenant)
    return found


def wait_for_tenant(stack: Any, tenant: str, timeout: float = 60.0) -> None:
    """Until membership's consumer has learnt of the force from identity's events."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT 1 FROM known_tenants WHERE tenant = %s", (tenant,))
            if row.fetchone():
                return
            conn.rollback()
            time.sleep(0.2)
    raise AssertionError(f"membership never learnt of tenant {tenant}")


def wait_for_account(stack: Any, account_id: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT 1 FROM known_accounts WHERE account_id = %s", (account_id,))
            if row.fetchone():
                return
            conn.rollback()
            time.sleep(0.2)
    raise AssertionError(f"membership never learnt of account {account_id}")


def membership_client(stack: Any) -> httpx.Client:
    http_port, _grpc = stack.ports.services["membership"]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/membership", timeout=30)


@pytest.fixture(scope="module", name="api")
def membership_api_fixture(stack: Any) -> Iterator[httpx.Client]:
    """`api`: membership's REST API, for each test module that imports this fixture."""
    with membership_client(stack) as client:
        yield client


def identity_client(stack: Any) -> httpx.Client:
    http_port, _grpc = stack.ports.services["identity"]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/identity", timeout=30)


def stream_event_types(stack: Any, group_id: str) -> list[str]:
    """The event types on a group's stream in membership's event store, in order."""
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        rows = conn.execute(
            "SELECT event_type FROM events WHERE stream_id = %s ORDER BY stream_version",
            (group_id,),
        ).fetchall()
    return [r[0] for r in rows]


def found_group(api: httpx.Client, founder: Person, **fields: Any) -> str:
    """A group founded by `founder` (waits until membership knows the force)."""
    body = {
        "group_type": "neighbourhood_watch",
        "name": f"Watch {uuid.uuid4().hex[:6]}",
        "ward_code": "E05000138",
        "ward_name": "Bloomsbury",
        **fields,
    }
    made = api.post("/groups", json=body, headers=founder.auth)
    assert made.status_code == 201, made.text
    return str(made.json()["group_id"])


def join(api: httpx.Client, group_id: str, officer: Person, member: Person) -> None:
    """`member` asks and `officer` admits."""
    asked = api.post(f"/groups/{group_id}/join-requests", headers=member.auth)
    assert asked.status_code == 201, asked.text
    rid = asked.json()["request_id"]
    admitted = api.post(f"/groups/{group_id}/join-requests/{rid}/admit", headers=officer.auth)
    assert admitted.status_code == 200, admitted.text
