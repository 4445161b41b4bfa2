"""People for the group pages' tests: members of one force who sign in through the portal
(portal_people) and also hold an API token, so a test can set a group up over membership's
REST API (membership_people) and check there what the portal's forms changed."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.integration.membership_people import (
    PASSWORD,
    Person,
    identity_client,
    identity_context,
    wait_for_account,
    wait_for_tenant,
)
from tests.integration.portal_people import Account, make_account, new_force

_VERSION = re.compile(r'name="version" value="(\d+)"')


def a_force_of(stack: Any, **people: tuple[str, str]) -> dict[str, tuple[Account, Person]]:
    """`key=(kind, name)` accounts of one new force, each with an access token for the APIs
    (staff kinds use their authenticator, so sign them in to the portal with a later code)."""
    made: dict[str, tuple[Account, Person]] = {}
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        tenant = new_force(ctx)
        for key, (kind, name) in people.items():
            account = make_account(ctx, tenant, kind, name)
            body = {"tenant": tenant, "email": account.email, "password": PASSWORD}
            if account.totp is not None:
                body["code"] = account.next_code()
            signed = identity.post("/sessions", json=body)
            assert signed.status_code == 200, signed.text
            token = signed.json()["access_token"]
            made[key] = (account, Person(account.account_id, kind, tenant, token))
    wait_for_tenant(stack, tenant)
    for account, _person in made.values():
        if account.kind == "member":
            wait_for_account(stack, account.account_id)
    return made


def version_on(page: httpx.Response) -> str:
    found = _VERSION.search(page.text)
    assert found, "no group version in the page's forms"
    return found.group(1)
