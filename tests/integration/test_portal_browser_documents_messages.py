"""In Debian's headless Chromium: a coordinator uploads a members' document and messages the
group, and sees its delivery; a neighbour reads the message in their inbox and downloads the
document. axe-core finds no violation on any page visited and no page breaks its CSP.
Screenshots go to .artifacts/screenshots/portal/ (git-ignored)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.integration.membership_people import PASSWORD
from tests.integration.portal_docs_world import GroupWorld, group_world
from tests.integration.portal_people import Account, portal_url
from tests.integration.test_portal_browser import (  # noqa: F401 (the fixture)
    Visit,
    chromium,
    playwright,
)

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n%newsletter\n" + uuid.uuid4().hex.encode()


@pytest.fixture(scope="module")
def world(stack: Any) -> GroupWorld:
    return group_world(stack, with_police=False)


def _sign_in(page: Any, who: Account) -> None:
    page.get_by_label("Your police force").fill(who.tenant)
    page.get_by_label("Email address").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_coordinator_uploads_and_messages_and_a_neighbour_reads_and_downloads(
    stack: Any,
    world: GroupWorld,
    playwright: Any,  # noqa: F811 (test_portal_browser's fixture, imported above)
    tmp_path: Path,
) -> None:
    base, group = portal_url(stack), world.group_id
    newsletter = tmp_path / "newsletter.pdf"
    newsletter.write_bytes(PDF)
    subject = f"Newsletter is out {uuid.uuid4().hex[:4]}"

    with chromium(playwright, accept_downloads=True) as context:
        page = context.new_page()
        visit = Visit(page, "coordinator")
        page.goto(f"{base}/groups/{group}/documents")  # sign in first, then back here
        _sign_in(page, world.people["chair"])
        assert page.url == f"{base}/groups/{group}/documents"
        assert page.get_by_role("heading", name="Documents", exact=True).is_visible()
        visit.check("documents-empty")
        page.get_by_role("button", name="Upload").click()  # nothing filled in: the errors
        assert page.title().startswith("Error: Documents")
        assert "Select a file" in page.locator(".govuk-error-summary").inner_text()
        visit.check("documents-errors")
        page.get_by_label("File").set_input_files(str(newsletter))
        page.get_by_label("Title").fill("Spring newsletter")
        page.get_by_label("Everyone in the group").check()
        page.get_by_role("button", name="Upload").click()
        assert "The document was uploaded." in page.inner_text("main")
        assert page.get_by_role("link", name=re.compile(r"^Spring newsletter")).is_visible()
        visit.check("documents-uploaded")

        page.get_by_role("navigation", name="This group").get_by_role(
            "link", name="Messages"
        ).click()
        assert page.url == f"{base}/groups/{group}/messages"
        visit.check("messages")
        page.get_by_label("Subject").fill(subject)
        page.get_by_label("Message").fill("The spring newsletter is in the group's documents.")
        page.get_by_role("button", name="Send the message").click()
        assert page.get_by_role("heading", name=subject).is_visible()
        assert page.locator("svg.snp-chart").is_visible()
        assert "Bea Neighbour" in page.locator("#recipients").inner_text()
        visit.check("delivery")
        page.set_viewport_size({"width": 320, "height": 640})
        visit.check("delivery-320px")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320

    with chromium(playwright, accept_downloads=True) as context:
        page = context.new_page()
        visit = Visit(page, "neighbour")
        page.goto(f"{base}/inbox")
        _sign_in(page, world.people["bea"])
        assert page.url == f"{base}/inbox"
        visit.check("inbox")
        page.get_by_role("link", name=subject).click()
        assert page.get_by_role("heading", name=subject).is_visible()
        body = page.inner_text("main")
        assert "Cal Coordinator" in body and world.group_name in body
        visit.check("inbox-message")
        page.goto(f"{base}/groups/{group}/documents")
        assert page.get_by_role("button", name="Upload").count() == 0
        visit.check("documents")
        with page.expect_download() as arrived:
            page.get_by_role("link", name=re.compile(r"^Spring newsletter")).click()
        download = arrived.value
        assert download.suggested_filename == "newsletter.pdf"
        assert Path(download.path()).read_bytes() == PDF
