"""A force for the portal's account journeys: a coordinator who founded a Neighbourhood Watch
group through membership's API, a neighbour admitted to it (whose mail bounces: the mail sink
refuses `@bounce.example`), and a plain member; each can sign in through the portal."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pytest

from snp_identity.domain.contacts import Contact
from snp_identity.service_layer import accounts
from snp_identity.service_layer.context import IdentityContext
from tests.integration.membership_people import (
    META,
    PASSWORD,
    Person,
    found_group,
    identity_client,
    identity_context,
    join,
    membership_client,
    wait_for_tenant,
)
from tests.integration.portal_people import Account, new_force

WARD = ("E05000139", "Holborn and Covent Garden")


@dataclass(frozen=True)
class World:
    tenant: str
    coordinator: Account
    neighbour: Account
    plain: Account
    group_id: str
    group_name: str


def member(ctx: IdentityContext, tenant: str, name: str, domain: str) -> Account:
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@{domain}"
    account_id = accounts.register_account(
        ctx, tenant, "member", Contact(name, email), PASSWORD, META, "test"
    )
    return Account(account_id, "member", tenant, email, name, None)


def token(stack: Any, who: Account) -> str:
    with identity_client(stack) as identity:
        signed = identity.post(
            "/sessions", json={"tenant": who.tenant, "email": who.email, "password": PASSWORD}
        )
    assert signed.status_code == 200, signed.text
    return str(signed.json()["access_token"])


def person(stack: Any, who: Account) -> Person:
    return Person(who.account_id, who.kind, who.tenant, token(stack, who))


def make_world(stack: Any, ctx: IdentityContext) -> World:
    tenant = new_force(ctx)
    coordinator = member(ctx, tenant, "Cora Coordinator", f"{tenant}.example")
    neighbour = member(ctx, tenant, "Nia Neighbour", "bounce.example")
    plain = member(ctx, tenant, "Pat Plain", f"{tenant}.example")
    wait_for_tenant(stack, tenant)
    name = f"Elm Street Watch {uuid.uuid4().hex[:4]}"
    leader = person(stack, coordinator)
    with membership_client(stack) as api:
        group_id = found_group(
            api, leader, name=name, ward_code=WARD[0], ward_name=WARD[1], description="Our street"
        )
        join(api, group_id, leader, person(stack, neighbour))
    return World(tenant, coordinator, neighbour, plain, group_id, name)


@pytest.fixture(scope="module", name="world")
def world_fixture(stack: Any) -> Iterator[World]:
    """`world`: the force, made once for each test module that imports this fixture."""
    with identity_context(stack) as ctx:
        yield make_world(stack, ctx)


def wait_for_the_ward(stack: Any, world: World) -> None:
    """Until messaging has learnt of the group's ward from membership's events (a member
    chooses alerts only for wards messaging knows)."""
    with messaging_client(stack, token(stack, world.neighbour)) as messaging:
        wait_until(
            lambda: WARD[0] in {w["code"] for w in messaging.get("/preferences").json()["wards"]},
            "messaging to know the ward",
        )


def messaging_client(stack: Any, bearer: str) -> httpx.Client:
    port = stack.ports.services["messaging"][0]
    return httpx.Client(
        base_url=f"http://127.0.0.1:{port}/messaging",
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=30,
    )


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def bounce_a_message_to(stack: Any, world: World) -> None:
    """The coordinator messages the group; the neighbour's address is refused (550), and
    messaging marks their email as having a delivery problem."""
    leader = token(stack, world.coordinator)

    def both_known() -> bool:  # messaging's projection holds the coordinator and the neighbour
        with psycopg.connect(stack.service_database_url("messaging")) as conn:
            row = conn.execute(
                "SELECT count(DISTINCT account_id) FROM group_roles WHERE group_id = %s",
                (world.group_id,),
            ).fetchone()
        return bool(row and row[0] == 2)

    wait_until(both_known, "messaging to know the group's two members")
    with messaging_client(stack, leader) as messaging:

        def sent() -> bool:
            answer = messaging.post(
                "/messages",
                json={
                    "subject": "Street meeting",
                    "body": "Thursday at 7, in the church hall.",
                    "priority": "urgent",
                    "audience": {"type": "group", "id": world.group_id},
                },
            )
            return answer.status_code == 202

        wait_until(sent, "messaging to accept a message to the group")
    with messaging_client(stack, token(stack, world.neighbour)) as messaging:
        wait_until(
            lambda: messaging.get("/preferences").json()["delivery_problems"],
            "the bounce to be marked",
        )
