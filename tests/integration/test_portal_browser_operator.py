"""The operator's console in Debian's headless Chromium against the real stack: council IT
signs in with its authenticator, registers a tenant and its first administrator (a second one
told why), reads the platform health, and replays a dead letter. axe-core finds no violation on
any page visited, error pages included (see test_portal_browser.Visit)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from confluent_kafka import Producer

from snp_platform.deadletters import list_dead_letters
from snp_platform.topics import events_topic
from snp_stack import toolbox
from tests.integration.kafka_helpers import wait_until
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.portal_people import Account, make_account, portal_url
from tests.integration.test_portal_browser import SHOTS, Visit, chromium

pytestmark = pytest.mark.integration
GROUP = "messaging-projections"


@pytest.fixture(scope="module")
def browser(stack: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running) as context:
        yield context


@pytest.fixture(scope="module")
def operator(stack: Any) -> Account:
    with identity_context(stack) as ctx:
        return make_account(ctx, "platform", "operator", "Council IT")


def test_an_operator_registers_a_tenant_and_replays_a_dead_letter(
    stack: Any, browser: Any, operator: Account
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    visit = Visit(page, "operator")
    page.goto(f"{portal_url(stack)}/operator")
    page.get_by_label("Your police force").fill(operator.tenant)
    page.get_by_label("Email address").fill(operator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code**")
    page.get_by_label("Authenticator code").fill(operator.next_code())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Tenants")).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Platform health")).to_be_visible()
    visit.check("tenants")

    page.get_by_role("button", name="Register a tenant").click()
    expect(page.get_by_role("heading", name="Register a tenant")).to_be_visible()
    visit.check("tenant-new")
    page.get_by_role("button", name="Register the tenant").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    visit.check("tenant-new-errors")
    slug = f"force-{uuid.uuid4().hex[:8]}"
    page.get_by_label("Name of the force").fill("Northshire Police")
    page.get_by_label("Short name").fill(slug)
    page.get_by_role("button", name="Register the tenant").click()
    expect(page.get_by_role("heading", name="Add the force's first administrator")).to_be_visible()
    visit.check("tenant-admin")
    page.get_by_label("Full name").fill("Robin Admin")
    page.get_by_label("Email address").fill(f"admin@{slug}.example")
    page.get_by_label("Password for their first sign-in").fill("quartz meadow lantern 42")
    page.get_by_role("button", name="Add the administrator").click()
    expect(page.locator(f'tr[data-tenant="{slug}"]')).to_contain_text("Northshire Police")
    expect(page.locator(f'tr[data-tenant="{slug}"]')).to_contain_text("1")
    visit.check("tenants-registered")

    # A second administrator: identity's reason, on the form, not "page not found".
    page.goto(f"{portal_url(stack)}/operator/tenants/{slug}/administrator")
    page.get_by_label("Full name").fill("Sam Second")
    page.get_by_label("Email address").fill(f"second@{slug}.example")
    page.get_by_label("Password for their first sign-in").fill("quartz meadow lantern 42")
    page.get_by_role("button", name="Add the administrator").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already has an administrator")
    visit.check("tenant-second-admin")

    poison = f"not an envelope {uuid.uuid4().hex}".encode()
    producer = Producer({"bootstrap.servers": stack.kafka_bootstrap})
    producer.produce(events_topic("documents"), key=b"poison", value=poison)
    producer.flush(10)
    wait_until(
        lambda: any(d.value == poison for d in list_dead_letters(stack.kafka_bootstrap, GROUP)),
        what="the poison message dead-lettered",
    )
    nav.get_by_role("link", name="Platform health").click()
    expect(page.get_by_role("heading", name="Platform health")).to_be_visible()
    expect(page.locator('tr[data-service="messaging"]')).to_contain_text("Ready")
    expect(page.locator("#opa")).to_contain_text("OPA answers every service")
    visit.check("health")

    page.get_by_role("link", name=f"Dead letters of {GROUP}").click()
    expect(page.get_by_role("heading", name=f"Dead letters of {GROUP}")).to_be_visible()
    expect(page.locator('tr[data-replayed="no"]').first).to_contain_text("malformed envelope")
    visit.check("dead-letters")
    page.get_by_role("button", name="Replay the").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent back to their topic")
    expect(page.locator('tr[data-replayed="yes"]').first).to_be_visible()
    visit.check("dead-letters-replayed")
    page.close()
