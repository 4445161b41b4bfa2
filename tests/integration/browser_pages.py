"""What every browser test shares: Debian's Chromium with a fresh profile (Playwright's own
browsers are never downloaded), a page wrapper that screenshots, runs axe-core and records CSP
violations on every page it lands on, and the portal's sign-in and founding forms as a person
fills them in. Screenshots go under .artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from snp_stack import toolbox, webtools
from snp_stack.stack import repo_root
from tests.integration.membership_people import PASSWORD
from tests.integration.portal_people import Account

SHOTS = repo_root() / ".artifacts" / "screenshots" / "portal"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1024, "height": 768}


@contextmanager
def chromium(playwright: Any, **options: Any) -> Iterator[Any]:
    """Debian's Chromium with a fresh profile (user-data-dir), deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="snp-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(toolbox.require("chromium")),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=WIDE,
            **options,
        )
        try:
            yield context
        finally:
            context.close()


class Visit:
    """A page that runs axe on every page it lands on and records any CSP violation."""

    def __init__(self, page: Any, who: str, shots: Path = SHOTS) -> None:
        self.page, self.who, self.step, self.shots = page, who, 0, shots
        self.csp_errors: list[str] = []
        self.axe = (webtools.npm_modules() / "axe-core" / "axe.min.js").read_text()
        shots.mkdir(parents=True, exist_ok=True)
        page.on(
            "console",
            lambda m: self.csp_errors.append(m.text) if "Content Security" in m.text else None,
        )

    def check(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        self.step += 1
        self.page.screenshot(
            path=str(self.shots / f"{self.who}-{self.step:02d}-{name}.png"), full_page=True
        )
        # Evaluated through the DevTools protocol, so the page's CSP (which allows no inline
        # script) is untouched and still enforced on the page's own scripts.
        self.page.evaluate(self.axe + "\n;true")
        result = self.page.evaluate(
            f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})"
        )
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['html'][:120]})"
            for v in result["violations"]
        ]
        assert violations == [], f"axe on {self.page.url}: {violations}"
        assert self.csp_errors == [], self.csp_errors
        assert "js-enabled" in (self.page.evaluate("document.body.className") or "")

    def check_narrow_too(self, name: str) -> None:
        """`check`, then the same page 320 px wide (WCAG reflow): checked again, and it must
        not scroll sideways; then back to the wide window."""
        self.check(name)
        self.page.set_viewport_size(NARROW)
        try:
            self.check(f"{name}-320px")
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= NARROW["width"], f"{self.page.url} is {width} px wide at 320 px"
        finally:
            self.page.set_viewport_size(WIDE)


def fill_sign_in(page: Any, tenant: str, email: str, password: str = PASSWORD) -> None:
    """The sign-in form's first step, as a person types it."""
    page.get_by_label("Your police force").fill(tenant)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def found_a_group(page: Any, visit: Visit, base: str, coordinator: Account, name: str) -> None:
    """A coordinator founds an open Neighbourhood Watch in Millbrook and Weir ward: signs in on
    the way, meets the form's errors once, then starts the group and lands on its page."""
    page.goto(f"{base}/groups/new")
    fill_sign_in(page, coordinator.tenant, coordinator.email)
    page.wait_for_url(f"{base}/groups/new")
    visit.check("found-a-group")
    page.get_by_role("button", name="Start the group").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    visit.check("found-a-group-errors")
    page.get_by_label("Neighbourhood Watch").check()
    page.get_by_label("Name of the group").fill(name)
    page.get_by_label("What the group does (optional)").fill(
        "Neighbours looking out for Mill Lane."
    )
    page.get_by_label("Ward", exact=True).fill("Millbrook and Weir")
    page.get_by_label("Ward code").fill("E05009999")
    page.get_by_label("Anyone").check()
    page.get_by_role("button", name="Start the group").click()
    page.wait_for_url(re.compile(r"/groups/[0-9a-f-]+$"))  # the new group's page
