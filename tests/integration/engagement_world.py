"""A force for the portal's ward-priority tests: a public ward panel founded by its police with
a chair, a plain member, a police officer and two partner agencies' officers. Each person signs
in to the portal (portal_people) and holds an API token, so a test checks in engagement's own
API what the portal's forms changed. Engagement learns the panel's officers from membership's
events; the world waits until it has."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg

from snp_identity.service_layer import agencies
from tests.integration.membership_people import (
    META,
    PASSWORD,
    Person,
    identity_client,
    identity_context,
    join,
    membership_client,
    wait_for_account,
    wait_for_tenant,
)
from tests.integration.portal_people import Account, make_account, new_force

WARD, WARD_NAME = "E05000777", "Elm Park"


@dataclass(frozen=True)
class EngagementWorld:
    tenant: str
    panel: str
    panel_name: str
    people: dict[str, tuple[Account, Person]]
    agencies: dict[str, str]  # agency name by id

    def account(self, key: str) -> Account:
        return self.people[key][0]

    def person(self, key: str) -> Person:
        return self.people[key][1]


def _token(identity: httpx.Client, account: Account) -> str:
    body = {"tenant": account.tenant, "email": account.email, "password": PASSWORD}
    if account.totp is not None:
        body["code"] = account.next_code()
    signed = identity.post("/sessions", json=body)
    assert signed.status_code == 200, signed.text
    return str(signed.json()["access_token"])


def engagement_roles(stack: Any, group_id: str, account_id: str) -> set[str]:
    with psycopg.connect(stack.service_database_url("engagement")) as conn:
        rows = conn.execute(
            "SELECT role FROM group_roles WHERE group_id = %s AND account_id = %s",
            (group_id, account_id),
        ).fetchall()
    return {r[0] for r in rows}


def wait_until(check: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"never happened: {what}")


def engagement_world(stack: Any) -> EngagementWorld:
    names = {"council": "Elm Council ASB team", "housing": "Elm Housing"}
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        tenant = new_force(ctx)
        ids = {
            kind: agencies.register_agency(ctx, tenant, name, kind, "test", META)
            for kind, name in names.items()
        }
        wanted = {
            "chair": ("member", "Chris Chair", ""),
            "plain": ("member", "Pat Plain", ""),
            "police": ("police", "PC Poppy Police", ""),
            "council": ("partner", "Cass Council", ids["council"]),
            "housing": ("partner", "Hal Housing", ids["housing"]),
        }
        people: dict[str, tuple[Account, Person]] = {}
        for key, (kind, name, agency) in wanted.items():
            account = make_account(ctx, tenant, kind, name, agency)
            # Partners act only through the portal here: no API token (and no code spent).
            token = "" if kind == "partner" else _token(identity, account)
            people[key] = (account, Person(account.account_id, kind, tenant, token))
    wait_for_tenant(stack, tenant)
    chair, plain, police = (people[k][1] for k in ("chair", "plain", "police"))
    wait_for_account(stack, chair.account_id)
    wait_for_account(stack, plain.account_id)
    name = f"Elm Park Ward Panel {uuid.uuid4().hex[:4]}"
    with membership_client(stack) as membership:
        body = {
            "group_type": "ward_panel",
            "name": name,
            "ward_code": WARD,
            "ward_name": WARD_NAME,
            "visibility": "public",
            "first_chair": chair.account_id,
        }
        made = membership.post("/groups", json=body, headers=police.auth)
        assert made.status_code == 201, made.text
        panel = str(made.json()["group_id"])
        join(membership, panel, chair, plain)
    wait_until(lambda: "chair" in engagement_roles(stack, panel, chair.account_id), "chair")
    wait_until(lambda: "member" in engagement_roles(stack, panel, plain.account_id), "member")
    return EngagementWorld(tenant, panel, name, people, {ids[k]: n for k, n in names.items()})


def engagement_client(stack: Any) -> httpx.Client:
    http_port, _grpc = stack.ports.services["engagement"]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/engagement", timeout=60)
