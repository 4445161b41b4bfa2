"""Each staff kind sees only its own console (issue 15), against the real stack: signed in as a
police officer, a tenant admin, an auditor, an operator and a member, each menu holds its own
console's items and none of another's; every other kind's console page is a refusal (403) with
none of its content; and a forged form post (the account's own session and CSRF token, posted
to another kind's action) is refused, as is the same call made straight to the service with the
account's token, the portal not asked at all. Nothing changes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from snp_portal.entrypoints.pages import STAFF_NAVIGATION
from tests.integration.group_people import a_force_of
from tests.integration.membership_people import Person, found_group, identity_context
from tests.integration.ops_helpers import RECIPIENTS, api_token, service_api
from tests.integration.portal_people import Account, csrf_of, make_account, portal_client, sign_in

pytestmark = pytest.mark.integration
KINDS = ("police", "tenant_admin", "auditor", "operator")
_H1 = re.compile(r'<h1 class="govuk-heading-l">(.*?)</h1>', re.S)
_NAV = re.compile(r'class="govuk-service-navigation__link" href="([^"]+)"')
REFUSED = "You cannot see this page"
# Pages of a staff console that members use too: a panel's officers organise its meetings.
SHARED_WITH_MEMBERS = {"/your-events"}


@pytest.fixture(scope="module")
def people(stack: Any) -> dict[str, tuple[Account, Person]]:
    made = a_force_of(
        stack,
        police=("police", "PC Kind"),
        tenant_admin=("tenant_admin", "Ada Admin"),
        auditor=("auditor", "Aud Itor"),
        member=("member", "Mo Member"),
    )
    with identity_context(stack) as ctx:
        operator = make_account(ctx, "platform", "operator", "Council IT")
    auth = api_token(stack, operator)
    made["operator"] = (
        operator,
        Person(operator.account_id, "operator", "platform", auth["Authorization"][7:]),
    )
    return made


@pytest.fixture(scope="module")
def clients(
    stack: Any, people: dict[str, tuple[Account, Person]]
) -> Iterator[dict[str, httpx.Client]]:
    # Each sign-in takes a step its account has not used (Account.next_code waits if need be).
    opened = {key: portal_client(stack) for key in people}
    try:
        for key, client in opened.items():
            assert sign_in(client, people[key][0]).status_code == 303, key
        yield opened
    finally:
        for client in opened.values():
            client.close()


@pytest.fixture(scope="module")
def watch(stack: Any, people: dict[str, tuple[Account, Person]]) -> str:
    with service_api(stack, "membership") as api:
        return found_group(api, people["member"][1], name=f"Kinds Watch {uuid.uuid4().hex[:4]}")


def consoles(watch: str) -> dict[str, list[str]]:
    """Each kind's console pages: its menu's, and pages further in."""
    further = {
        "police": [f"/police/groups/{watch}"],
        "tenant_admin": ["/force-admin/staff/new"],
        "auditor": ["/auditor/export"],
        "operator": [
            "/operator/tenants/new",
            f"/operator/projections/messaging/{RECIPIENTS}/rebuild",
        ],
    }
    return {kind: [h for h, _t, _k in STAFF_NAVIGATION[kind]] + further[kind] for kind in KINDS}


def test_each_menu_holds_only_its_own_console(clients: dict[str, httpx.Client]) -> None:
    every = {href for kind in KINDS for href, _t, _k in STAFF_NAVIGATION[kind]}
    for key, client in clients.items():
        menu = set(_NAV.findall(client.get("/account").text))
        own = {h for h, _t, _k in STAFF_NAVIGATION.get(key, ())}
        assert own <= menu, (key, menu)
        assert not (every - own) & menu, (key, menu)


def test_every_other_kind_s_console_is_refused_without_its_content(
    clients: dict[str, httpx.Client], watch: str
) -> None:
    for owner, pages in consoles(watch).items():
        for page in pages:
            seen = clients[owner].get(page)
            assert seen.status_code == 200, (owner, page, seen.text[:300])
            heading = _H1.search(seen.text)
            assert heading, (owner, page)
            for key, client in clients.items():
                if key == owner or (key == "member" and page in SHARED_WITH_MEMBERS):
                    continue
                refused = client.get(page)
                assert refused.status_code == 403, (key, page)
                assert REFUSED in refused.text and heading.group(1) not in refused.text, (key, page)


def _count(stack: Any, service: str, query: str, *args: Any) -> int:
    with psycopg.connect(stack.service_database_url(service)) as conn:
        row = conn.execute(query, args).fetchone()
    return int(row[0]) if row else 0


def _state(stack: Any, tenant: str, watch: str, slug: str) -> tuple[int, ...]:
    """What the forged actions would change: the force's accounts, the group's markings, the
    tenant registered, rebuilds started, audit's refused reads aside."""
    return (
        _count(stack, "identity", "SELECT count(*) FROM accounts WHERE tenant = %s", tenant),
        _count(stack, "membership", "SELECT count(*) FROM approvals WHERE group_id = %s", watch),
        _count(
            stack, "identity", "SELECT count(*) FROM events WHERE stream_id LIKE %s", f"%{slug}%"
        ),
        _count(stack, "messaging", "SELECT count(*) FROM projection_rebuilds"),
    )


def test_forged_posts_to_another_kind_s_actions_are_refused_and_change_nothing(
    stack: Any,
    people: dict[str, tuple[Account, Person]],
    clients: dict[str, httpx.Client],
    watch: str,
) -> None:
    tenant = people["police"][0].tenant
    slug = f"forged-{uuid.uuid4().hex[:8]}"
    # Each kind's actions: the portal form, and the service call behind it.
    actions: dict[str, list[tuple[str, dict[str, str], str, str, dict[str, Any]]]] = {
        "operator": [
            (
                "/operator/tenants/new",
                {"slug": slug, "display_name": "Forged"},
                "identity",
                "/tenants",
                {"slug": slug, "display_name": "Forged"},
            ),
            (
                f"/operator/projections/messaging/{RECIPIENTS}/rebuild",
                {},
                "messaging",
                f"/ops/projections/{RECIPIENTS}/rebuild",
                {},
            ),
        ],
        "tenant_admin": [
            (
                "/force-admin/staff/new",
                {"name": "Forged Officer", "email": f"{slug}@force.example", "kind": "police"},
                "identity",
                "/accounts",
                {
                    "display_name": "Forged Officer",
                    "email": f"{slug}@force.example",
                    "kind": "police",
                },
            ),
        ],
        "police": [
            (
                f"/police/groups/{watch}/markings",
                {"subject": "group", "change": "mark"},
                "membership",
                "/approvals",
                {"group_id": watch, "subject": "group", "side": "police"},
            ),
        ],
    }
    before = _state(stack, tenant, watch, slug)
    for owner, forms in actions.items():
        for page, fields, service, path, body in forms:
            for key, client in clients.items():
                if key == owner:
                    continue
                csrf = csrf_of(client.get("/account"))
                posted = client.post(page, data={"csrf_token": csrf, **fields})
                assert posted.status_code == 403, (key, page, posted.status_code)
                with service_api(stack, service) as api:
                    direct = api.post(path, json=body, headers=people[key][1].auth)
                # 404: identity answers another tenant's new force as if unknown (invariant 7).
                assert direct.status_code in (403, 404), (key, service, path, direct.text)
                assert direct.headers["content-type"].startswith("application/problem+json")
    assert _state(stack, tenant, watch, slug) == before
    # The auditor's console only reads: asked straight, audit refuses every other kind.
    with service_api(stack, "audit") as audit:
        for key in ("police", "tenant_admin", "operator", "member"):
            for path in ("/events", "/export"):
                answer = audit.get(path, headers=people[key][1].auth)
                assert answer.status_code == 403, (key, path, answer.status_code)
