"""The operator's console over plain HTTP through the portal, against the real stack: the
tenants (list, register, the first administrator, a second one refused with identity's reason),
bad input with nothing recorded, other staff kinds kept out (403) and their forged posts refused
by identity itself; platform health, dead letters listed and replayed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from confluent_kafka import Producer

from snp_identity.service_layer.context import IdentityContext
from snp_platform.deadletters import list_dead_letters
from snp_platform.topics import events_topic
from tests.integration.kafka_helpers import wait_until
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.portal_people import (
    Account,
    csrf_of,
    make_account,
    new_force,
    portal_client,
    sign_in,
)
from tests.integration.refusals import refusal_reasons

pytestmark = pytest.mark.integration
GROUP = "messaging-projections"  # messaging's consumer group, reading documents' events
PASSWORD_FOR_ADMIN = "quartz meadow lantern 42"


@pytest.fixture(scope="module")
def ctx(stack: Any) -> Iterator[IdentityContext]:
    with identity_context(stack) as context:
        yield context


@pytest.fixture(scope="module")
def operator(ctx: IdentityContext) -> Account:
    return make_account(ctx, "platform", "operator", "Council IT")


@pytest.fixture(scope="module")
def console(stack: Any, operator: Account) -> Iterator[httpx.Client]:
    with portal_client(stack) as client:
        assert sign_in(client, operator, "/operator").status_code == 303
        yield client


def identity_api(stack: Any) -> httpx.Client:
    port = stack.ports.services["identity"][0]
    return httpx.Client(base_url=f"http://127.0.0.1:{port}/identity", timeout=30)


def post_form(client: httpx.Client, page: str, **fields: str) -> httpx.Response:
    form = client.get(page)
    assert form.status_code == 200, form.text
    return client.post(page, data={"csrf_token": csrf_of(form), **fields})


def listed_slugs(client: httpx.Client) -> str:
    page = client.get("/operator/tenants")
    assert page.status_code == 200, page.text
    return page.text


def test_an_operator_registers_a_tenant_and_its_first_administrator_only(
    console: httpx.Client,
) -> None:
    assert console.get("/operator").headers["location"] == "/operator/tenants"
    slug = f"force-{uuid.uuid4().hex[:8]}"
    made = post_form(console, "/operator/tenants/new", slug=slug, display_name="Wessex Police")
    assert made.status_code == 303, made.text
    assert made.headers["location"] == f"/operator/tenants/{slug}/administrator?registered=1"
    page = listed_slugs(console)
    assert f'data-tenant="{slug}"' in page and "Wessex Police" in page
    assert "add the first administrator" in page

    admin_page = f"/operator/tenants/{slug}/administrator"
    first = post_form(
        console,
        admin_page,
        name="Avery Admin",
        email=f"admin@{slug}.example",
        password=PASSWORD_FOR_ADMIN,
    )
    assert first.status_code == 303, first.text
    row = listed_slugs(console).split(f'data-tenant="{slug}"', 1)[1].split("</tr>", 1)[0]
    assert ">1<" in row.replace(" ", "").replace("\n", "")

    second = post_form(
        console,
        admin_page,
        name="Blake Second",
        email=f"admin2@{slug}.example",
        password=PASSWORD_FOR_ADMIN,
    )
    assert second.status_code == 409
    assert "already has an administrator" in second.text
    assert "govuk-error-summary" in second.text
    assert "Page not found" not in second.text

    twice = post_form(console, "/operator/tenants/new", slug=slug, display_name="Again")
    assert twice.status_code == 409 and "already registered" in twice.text


def test_bad_input_is_told_and_nothing_is_registered(console: httpx.Client) -> None:
    empty = post_form(console, "/operator/tenants/new", slug="", display_name="")
    assert empty.status_code == 400
    assert "Enter the force&#39;s short name" in empty.text
    assert "Enter the force&#39;s name" in empty.text
    bad = post_form(console, "/operator/tenants/new", slug="Not A Slug", display_name="X")
    assert bad.status_code == 400 and "lowercase letters" in bad.text
    assert 'value="Not A Slug"' in bad.text  # what was typed is kept
    assert "Not A Slug" not in listed_slugs(console)

    slug = f"force-{uuid.uuid4().hex[:8]}"
    assert post_form(console, "/operator/tenants/new", slug=slug, display_name="Y").status_code
    page = f"/operator/tenants/{slug}/administrator"
    missing = post_form(console, page, name="", email="", password="")
    assert missing.status_code == 400 and "Enter the administrator&#39;s name" in missing.text
    weak = post_form(console, page, name="Ash", email=f"a@{slug}.example", password="password")
    assert weak.status_code == 422 and "govuk-error-summary" in weak.text
    unknown = post_form(
        console,
        "/operator/tenants/no-such-force/administrator",
        name="Ash",
        email="a@no-such-force.example",
        password=PASSWORD_FOR_ADMIN,
    )
    assert unknown.status_code == 404 and "There is no force" in unknown.text
    row = listed_slugs(console).split(f'data-tenant="{slug}"', 1)[1].split("</tr>", 1)[0]
    assert "add the first administrator" in row  # still none


def _token(who: Account, stack: Any) -> str:
    """A token straight from identity, signed in with the account's next code (once)."""
    with identity_api(stack) as api:
        answer = api.post(
            "/sessions",
            json={
                "tenant": who.tenant,
                "email": who.email,
                "password": PASSWORD,
                "code": who.next_code(),
            },
        )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def test_other_staff_see_no_console_and_their_forged_posts_are_refused_by_identity(
    stack: Any, ctx: IdentityContext, console: httpx.Client
) -> None:
    force = new_force(ctx)
    for kind in ("police", "tenant_admin", "auditor", "member"):
        who = make_account(ctx, force, kind, f"Someone {kind}")
        with portal_client(stack) as client:
            sign_in(client, who)
            assert client.get("/operator/tenants").status_code == 403
            assert client.get("/operator/health").status_code == 403
            assert "/operator/tenants" not in client.get("/account").text
    assert "/operator/tenants" in console.get("/account").text
    # A tenant admin's forged registration goes to identity, whose policy refuses it.
    admin = make_account(ctx, force, "tenant_admin", "Forging Admin")
    forged = f"force-{uuid.uuid4().hex[:8]}"
    with identity_api(stack) as api:
        bearer = {"Authorization": f"Bearer {_token(admin, stack)}"}
        elsewhere = api.post("/tenants", headers=bearer, json={"slug": forged, "display_name": "F"})
        assert elsewhere.status_code == 404  # another tenant's resource: as if unknown
        own = api.post("/tenants", headers=bearer, json={"slug": force, "display_name": "F"})
        assert own.status_code == 403
        assert "action_not_allowed_for_kind" in refusal_reasons(stack, own)
        assert api.get("/tenants", headers=bearer).status_code == 403
    assert forged not in listed_slugs(console)


def test_posts_without_the_csrf_token_are_refused(console: httpx.Client) -> None:
    slug = f"force-{uuid.uuid4().hex[:8]}"
    refused = console.post("/operator/tenants/new", data={"slug": slug, "display_name": "Z"})
    assert refused.status_code == 403
    assert slug not in listed_slugs(console)


def row_of(page: str, marker: str) -> str:
    return page.split(marker, 1)[1].split("</tr>", 1)[0]


def test_platform_health_shows_every_service_the_groups_audit_and_opa(
    console: httpx.Client,
) -> None:
    page = console.get("/operator/health")
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    for service in ("identity", "membership", "documents", "messaging", "audit"):
        assert 'data-ready="yes"' in page.text.split(f'data-service="{service}"', 1)[1][:40]
    assert "No relay" in row_of(page.text, 'data-service="audit"')  # audit publishes nothing
    relay_lag = re.search(r'data-relay-lag="(\d+)"', row_of(page.text, 'data-service="identity"'))
    assert relay_lag is not None
    for group in ("membership-identity", "documents.group-roles", GROUP, "audit"):
        assert f'data-group="{group}"' in page.text, group
    assert 'id="opa" data-ok="yes"' in page.text
    assert "OPA answers every service (5 of 5)" in page.text
    assert 'id="audit-tenants"' in page.text and 'data-tampered="yes"' not in page.text


def test_an_operator_lists_and_replays_a_dead_letter(stack: Any, console: httpx.Client) -> None:
    poison = f"not an envelope {uuid.uuid4().hex}".encode()
    producer = Producer({"bootstrap.servers": stack.kafka_bootstrap})
    producer.produce(events_topic("documents"), key=b"poison", value=poison)
    producer.flush(10)

    def dead(replayed: bool | None = None) -> list[Any]:
        letters = list_dead_letters(stack.kafka_bootstrap, GROUP)
        return [d for d in letters if d.value == poison and replayed in (None, d.replayed)]

    wait_until(lambda: len(dead()) == 1, what="the poison message dead-lettered")
    [letter] = dead()
    health = console.get("/operator/health").text
    waiting = re.match(r' data-waiting="(\d+)"', row_of(health, f'data-group="{GROUP}"'))
    assert waiting is not None and int(waiting.group(1)) >= 1
    page_url = f"/operator/dead-letters/messaging/{GROUP}"
    page = console.get(page_url)
    assert page.status_code == 200, page.text
    row = row_of(page.text, f'data-offset="{letter.offset}"')
    assert 'data-replayed="no"' in row and "malformed envelope" in row
    assert "poison" not in page.text  # never the message's key or payload

    replayed = console.post(page_url, data={"csrf_token": csrf_of(page)})
    assert replayed.status_code == 303, replayed.text
    after = console.get(replayed.headers["location"])
    assert "sent back to their topic" in after.text
    assert 'data-replayed="yes"' in row_of(after.text, f'data-offset="{letter.offset}"')
    # It really went back through Kafka: messaging met it again and dead-lettered it anew.
    wait_until(lambda: len(dead(replayed=False)) == 1, what="the replayed message failing again")
    assert dead(replayed=True)[0].offset == letter.offset


def test_dead_letters_need_an_operator_and_the_csrf_token(
    stack: Any, ctx: IdentityContext, console: httpx.Client
) -> None:
    page_url = f"/operator/dead-letters/messaging/{GROUP}"
    assert console.post(page_url, data={}).status_code == 403
    assert console.get("/operator/dead-letters/messaging/no-such-group").status_code == 404
    assert console.get("/operator/dead-letters/nowhere/x").status_code in (404, 422)
    police = make_account(ctx, new_force(ctx), "police", "PC Forger")
    with portal_client(stack) as client:
        sign_in(client, police)
        assert client.get(page_url).status_code == 403
    # A forged replay straight to messaging with a police token: messaging's policy refuses it.
    port = stack.ports.services["messaging"][0]
    token = _token(make_account(ctx, new_force(ctx), "police", "PC Direct"), stack)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}/messaging", timeout=30) as api:
        refused = api.post(
            f"/ops/dead-letters/{GROUP}/replay",
            json={},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert refused.status_code == 403
        assert "action_not_allowed_for_kind" in refusal_reasons(stack, refused)
        assert (
            api.get("/ops/health", headers={"Authorization": f"Bearer {token}"}).status_code == 403
        )
