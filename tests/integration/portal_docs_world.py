"""A group for the portal's documents and messages tests: a force, a Neighbourhood Watch
founded through membership's API by its coordinator, two neighbours admitted, a police
officer; waits until documents and messaging have learnt everyone's roles from membership's
events. People sign in to the portal with portal_people.sign_in; API tokens are for checking
what the services say."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg

from tests.integration.membership_people import (
    PASSWORD,
    Person,
    found_group,
    identity_client,
    identity_context,
    join,
    membership_client,
    wait_for_account,
    wait_for_tenant,
)
from tests.integration.messaging_helpers import wait_until
from tests.integration.portal_people import Account, make_account, new_force


@dataclass
class GroupWorld:
    tenant: str
    group_id: str
    group_name: str
    people: dict[str, Account]
    tokens: dict[str, str]  # API access tokens by name

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


def api_token(identity: httpx.Client, who: Account) -> str:
    body = {"tenant": who.tenant, "email": who.email, "password": PASSWORD}
    if who.totp is not None:
        body["code"] = who.next_code()
    signed = identity.post("/sessions", json=body)
    assert signed.status_code == 200, signed.text
    return str(signed.json()["access_token"])


def roles_known(stack: Any, service: str, group_id: str, account_ids: list[str]) -> bool:
    """Has `service`'s projection of membership's events every one of them as a member?"""
    with psycopg.connect(stack.service_database_url(service)) as conn:
        rows = conn.execute(
            "SELECT account_id FROM group_roles WHERE group_id = %s AND role = 'member'",
            (group_id,),
        ).fetchall()
    return set(account_ids) <= {r[0] for r in rows}


def group_world(stack: Any, with_police: bool = True) -> GroupWorld:
    names = {"chair": "Cal Coordinator", "bea": "Bea Neighbour", "dan": "Dan Neighbour"}
    with identity_context(stack) as ctx:
        tenant = new_force(ctx)
        people = {key: make_account(ctx, tenant, "member", name) for key, name in names.items()}
        if with_police:
            people["police"] = make_account(ctx, tenant, "police", "PC Sam Patel")
    with identity_client(stack) as identity:
        tokens = {key: api_token(identity, who) for key, who in people.items()}
    wait_for_tenant(stack, tenant)
    group_name = f"Elm Street Watch {uuid.uuid4().hex[:4]}"
    with membership_client(stack) as membership:
        chair = Person(people["chair"].account_id, "member", tenant, tokens["chair"])
        group_id = found_group(membership, chair, name=group_name)
        for key in ("bea", "dan"):
            wait_for_account(stack, people[key].account_id)
            join(
                membership,
                group_id,
                chair,
                Person(people[key].account_id, "member", tenant, tokens[key]),
            )
    members = [people[k].account_id for k in ("chair", "bea", "dan")]
    wait_until(
        lambda: all(roles_known(stack, s, group_id, members) for s in ("documents", "messaging")),
        timeout=90,
        what="documents and messaging to learn the group's members",
    )
    return GroupWorld(tenant, group_id, group_name, people, tokens)
