"""Get a copy of your data, in Debian's headless Chromium against the real stack: a member
reaches it from their account page, asks for a copy, follows its progress until it is ready and
downloads the ZIP (each service's file and the summary); axe-core finds no violation on the
pages (wide and 320 px). Screenshots go to .artifacts/screenshots/portal/."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from snp_stack import toolbox
from tests.integration.browser_pages import SHOTS, Visit, chromium, fill_sign_in
from tests.integration.group_people import a_force_of
from tests.integration.messaging_helpers import wait_until
from tests.integration.portal_people import portal_url

pytestmark = pytest.mark.integration

SERVICES = ["identity", "membership", "documents", "messaging", "engagement", "audit"]


@pytest.fixture(scope="module")
def browser(stack: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    toolbox.require("chromium")
    toolbox.require("npm")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as running, chromium(running) as context:
        yield context


def test_a_member_asks_for_a_copy_of_their_data_and_downloads_it(
    stack: Any, browser: Any, tmp_path: Path
) -> None:
    bob = a_force_of(stack, bob=("member", "Bob Copy-Asker"))["bob"][0]
    base, page = portal_url(stack), browser.new_page()
    visit = Visit(page, "data-copy")
    page.goto(f"{base}/account")
    fill_sign_in(page, bob.tenant, bob.email)
    page.wait_for_url(f"{base}/account")
    page.get_by_role("link", name="Get a copy of your data").click()
    page.wait_for_url(f"{base}/account/data-copy")
    assert page.title().startswith("Get a copy of your data")
    visit.check_narrow_too("start")

    page.get_by_role("button", name="Ask for a copy of your data").click()
    page.wait_for_url(f"{base}/account/data-copy/*")
    progress_url = page.url

    def ready() -> bool:
        page.goto(progress_url)
        return bool(page.get_by_role("link", name="Download your copy (ZIP)").count() == 1)

    wait_until(ready, 120, "the copy to be put together")
    visit.check_narrow_too("ready")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download your copy (ZIP)").click()
    saved = tmp_path / "copy.zip"
    downloading.value.save_as(saved)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    assert sorted(archive.namelist()) == sorted([f"{s}.json" for s in SERVICES] + ["summary.txt"])
    assert bob.email in archive.read("summary.txt").decode()

    page.goto(f"{base}/account/data-copy")
    page.get_by_role("link", name="Ready to download").wait_for()
    visit.check("listed")
