"""Find and join in Debian's headless Chromium (Playwright, never a downloaded browser): a
coordinator founds a group; a newcomer picks their force, finds the group by its ward, opens
its public page, registers from it and asks to join; and once more with JavaScript off. axe-core
finds no violation on any page visited; screenshots go to .artifacts/screenshots/portal/."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from snp_identity.service_layer import tenants
from tests.integration.browser_pages import found_a_group
from tests.integration.membership_people import META, identity_context, wait_for_tenant
from tests.integration.portal_people import Account, make_account, portal_url
from tests.integration.test_portal_browser import (
    SHOTS,
    Visit,
    _fill_sign_in,
    chromium,
    playwright,
)

__all__ = ["playwright"]  # the fixture, shared with test_portal_browser

pytestmark = pytest.mark.integration

FORCE_NAME = "Westmoor Constabulary"
PASSWORD = "lilac ferry copper 64"


@pytest.fixture(scope="module")
def force(stack: Any) -> tuple[str, Account]:
    with identity_context(stack) as ctx:
        tenant = f"westmoor-{uuid.uuid4().hex[:6]}"
        tenants.register_tenant(ctx.streams, tenant, FORCE_NAME, META)
        coordinator = make_account(ctx, tenant, "member", "Cora Coordinator")
    wait_for_tenant(stack, tenant)
    return tenant, coordinator


def _register_and_ask(page: Any, visit: Visit | None, base: str, tenant: str, name: str) -> None:
    """From `/`: choose the force, find the group by its ward, register from it, ask to join."""

    def check(step: str) -> None:
        if visit is not None:
            visit.check(step)

    page.goto(f"{base}/")
    check("choose-force")
    page.get_by_label("Your police force's short name").fill(tenant)
    page.get_by_role("button", name="Continue").click()
    assert page.url == f"{base}/forces/{tenant}"
    assert page.get_by_role("heading", level=1).inner_text() == FORCE_NAME
    assert FORCE_NAME in page.inner_text("header")
    check("force-home")
    page.get_by_label("Ward").fill("millbrook")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("link", name=name).is_visible()
    check("find-results")
    page.get_by_role("link", name=name).click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert "Not approved yet" in page.inner_text("main")
    check("group-public")
    page.get_by_role("link", name=f"Create an account with {FORCE_NAME}").click()
    check("register")
    page.get_by_role("button", name="Create account").click()
    assert page.title().startswith("Error: Create an account")
    check("register-errors")
    page.get_by_label("Your name").fill("Nell Newcomer")
    page.get_by_label("Email address").fill(f"nell-{uuid.uuid4().hex[:6]}@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", level=1).inner_text() == name  # back on the group
    assert "Your account has been created" in page.inner_text("main")
    check("group-signed-in")
    page.get_by_role("button", name="Ask to join").click()
    assert "Your request to join has been sent." in page.inner_text("main")
    assert "Your request is waiting" in page.inner_text("main")
    assert page.get_by_role("button", name="Ask to join").count() == 0
    check("asked-to-join")


def test_a_newcomer_finds_a_group_registers_and_asks_to_join(
    stack: Any, playwright: Any, force: tuple[str, Account]
) -> None:
    base, (tenant, coordinator) = portal_url(stack), force
    name = f"Mill Lane {uuid.uuid4().hex[:4]} Watch"
    with chromium(playwright) as context:
        page = context.new_page()
        found_a_group(page, Visit(page, "coordinator"), base, coordinator, name)
    with chromium(playwright) as context:
        page = context.new_page()
        visit = Visit(page, "newcomer")
        _register_and_ask(page, visit, base, tenant, name)
        page.set_viewport_size({"width": 320, "height": 640})  # the layout holds at 320 px
        visit.check("asked-to-join-320px")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_finding_and_joining_work_without_javascript(
    stack: Any, playwright: Any, force: tuple[str, Account]
) -> None:
    base, (tenant, coordinator) = portal_url(stack), force
    name = f"Weir Road {uuid.uuid4().hex[:4]} Watch"
    with chromium(playwright) as context:
        page = context.new_page()
        page.goto(f"{base}/groups/new")
        _fill_sign_in(page, coordinator)
        page.get_by_label("Neighbourhood Watch").check()
        page.get_by_label("Name of the group").fill(name)
        page.get_by_label("Ward", exact=True).fill("Millbrook and Weir")
        page.get_by_label("Ward code").fill("E05009999")
        page.get_by_role("button", name="Start the group").click()
    with chromium(playwright, java_script_enabled=False) as context:
        page = context.new_page()
        _register_and_ask(page, None, base, tenant, name)
        page.screenshot(path=str(SHOTS / "nojs-asked-to-join.png"), full_page=True)
