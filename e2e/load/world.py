"""The load test's people, made before the clock starts: one force with Neighbourhood Watch
groups, a coordinator founding each, residents admitted to one group each, police officers and
auditors with authenticators, every one of them signed in once (setup, not measured)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from e2e.load.people import Person, World
from e2e.seed_members import PASSWORD, seed_members
from snp_identity.domain.contacts import Contact
from tests.integration.membership_people import (
    identity_client,
    identity_context,
    membership_client,
    wait_for_account,
    wait_for_tenant,
)
from tests.integration.portal_people import make_account, new_force


def service_urls(stack: Any) -> dict[str, str]:
    return {
        name: f"http://127.0.0.1:{stack.ports.services[name][0]}"
        for name in ("identity", "membership", "documents", "messaging", "audit")
    }


def _signed_in(identity: httpx.Client, body: dict[str, str]) -> str:
    answer = identity.post("/sessions", json=body)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def _staff(stack: Any, tenant: str, kind: str, count: int) -> list[Person]:
    made = []
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        for i in range(count):
            account = make_account(ctx, tenant, kind, f"Load {kind} {i}")
            body = {"tenant": tenant, "email": account.email, "password": PASSWORD}
            body["code"] = account.next_code()
            made.append(Person(account.account_id, account.email, _signed_in(identity, body)))
    return made


def build(stack: Any, residents: int, groups: int, police: int, auditors: int) -> World:
    run = uuid.uuid4().hex[:6]
    with identity_context(stack) as ctx:
        tenant = new_force(ctx)
    world = World(tenant, service_urls(stack))
    contacts = [
        Contact(f"Load resident {i}", f"resident-{i}-{run}@residents.example")
        for i in range(residents + groups)
    ]
    seeded = seed_members(stack.service_env("identity"), tenant, contacts)
    wait_for_tenant(stack, tenant)
    wait_for_account(stack, seeded[-1].account_id, timeout=120)
    with identity_client(stack) as identity:
        people = [
            Person(s.account_id, s.email, _signed_in(identity, _member(tenant, s.email)))
            for s in seeded
        ]
    world.coordinators, world.residents = people[:groups], people[groups:]
    with membership_client(stack) as membership:
        for i, coordinator in enumerate(world.coordinators):
            coordinator.group_id = _found(membership, coordinator, f"Load Watch {i} {run}")
            world.groups.append(coordinator.group_id)
        for i, resident in enumerate(world.residents):
            coordinator = world.coordinators[i % groups]
            resident.group_id = coordinator.group_id
            _admit(membership, coordinator, resident)
    world.police = _staff(stack, tenant, "police", police)
    world.auditors = _staff(stack, tenant, "auditor", auditors)
    return world


def _member(tenant: str, email: str) -> dict[str, str]:
    return {"tenant": tenant, "email": email, "password": PASSWORD}


def _auth(person: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {person.token}"}


def _found(membership: httpx.Client, coordinator: Person, name: str) -> str:
    body = {
        "group_type": "neighbourhood_watch",
        "name": name,
        "ward_code": "E05000138",
        "ward_name": "Bloomsbury",
    }
    made = membership.post("/groups", json=body, headers=_auth(coordinator))
    made.raise_for_status()
    return str(made.json()["group_id"])


def _admit(membership: httpx.Client, coordinator: Person, resident: Person) -> None:
    group = resident.group_id
    for attempt in range(50):  # the group's projection may lag its founding by a moment
        asked = membership.post(f"/groups/{group}/join-requests", headers=_auth(resident))
        if asked.status_code == 201:
            break
        time.sleep(0.1 * (attempt + 1))
    asked.raise_for_status()
    request_id = asked.json()["request_id"]
    membership.post(
        f"/groups/{group}/join-requests/{request_id}/admit", headers=_auth(coordinator)
    ).raise_for_status()
