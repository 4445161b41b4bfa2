"""The portal by keyboard alone, in Chromium: a member signs in with Tab, typing and Enter,
follows a link from their account and changes a preference with Space, and every element that
takes the focus on the way shows it (GOV.UK's yellow focus state). No mouse, no click()."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.browser_pages import Visit, chromium
from tests.integration.membership_people import PASSWORD, identity_context
from tests.integration.portal_people import Account, make_account, new_force, portal_url
from tests.integration.test_portal_browser import playwright

pytestmark = pytest.mark.integration
__all__ = ["playwright"]

FOCUS_YELLOW = "rgb(255, 221, 0)"
# What the focused element is, and whether its focus can be seen: GOV.UK Frontend marks focus
# with a yellow background or a yellow outline / box-shadow (text inputs: a thick outline).
FOCUSED = """() => {
  const el = document.activeElement;
  // A GOV.UK checkbox or radio is drawn by its label's ::before; the input itself is hidden.
  const drawn = el.type === "checkbox" || el.type === "radio";
  const style = drawn ? getComputedStyle(el.nextElementSibling, "::before") : getComputedStyle(el);
  const marks = [style.backgroundColor, style.outlineColor, style.boxShadow].join(" ");
  return {
    tag: el.tagName.toLowerCase(), id: el.id || "", text: (el.innerText || el.value || "").trim(),
    visible: marks.includes("255, 221, 0") || (style.outlineStyle !== "none"
      && parseFloat(style.outlineWidth) >= 2),
  };
}"""


@pytest.fixture(scope="module")
def member(stack: Any) -> Iterator[Account]:
    with identity_context(stack) as ctx:
        yield make_account(ctx, new_force(ctx), "member", "Kay Board")


def tab_to(page: Any, wanted: Any, seen: list[dict[str, Any]], limit: int = 80) -> dict[str, Any]:
    """Press Tab until `wanted(focused)`; every element on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] != "body":
            seen.append(focused)
            assert focused["visible"], f"no visible focus on {focused}"
        if wanted(focused):
            return dict(focused)
    raise AssertionError(f"never reached by Tab; focused on the way: {seen[-10:]}")


def test_a_member_signs_in_and_changes_a_preference_by_keyboard_alone(
    stack: Any, playwright: Any, member: Account
) -> None:
    base, seen = portal_url(stack), list[dict[str, Any]]()
    with chromium(playwright) as context:
        page = context.new_page()
        visit = Visit(page, "keyboard")
        page.goto(f"{base}/sign-in?next=%2Faccount%2Fpreferences")
        first = tab_to(page, lambda f: True, seen)
        assert first["text"] == "Skip to main content"  # the first stop, shown when focused
        tab_to(page, lambda f: f["id"] == "tenant", seen)
        page.keyboard.type(member.tenant)
        page.keyboard.press("Tab")
        page.keyboard.type(member.email)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")  # submits the form from its last field
        page.wait_for_url(f"{base}/account/preferences")
        visit.check("preferences")

        box = page.locator("#channels")  # "Email"
        was = box.is_checked()
        tab_to(page, lambda f: f["id"] == "channels", seen)
        page.keyboard.press("Space")
        assert box.is_checked() is not was
        tab_to(page, lambda f: f["text"] == "Save preferences", seen)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        visit.check("preferences-saved")
        assert "saved" in page.inner_text(".govuk-notification-banner").lower()
        assert page.locator("#channels").is_checked() is not was  # messaging kept it
        assert len(seen) > 5
        page.close()
