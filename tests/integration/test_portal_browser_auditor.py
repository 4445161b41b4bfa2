"""The auditor's console in Debian's headless Chromium: an auditor signs in with their code,
finds the police officer's refused document read, opens it with its proof, exports the log and
the public key, and the export verifies offline here. axe-core finds no violation on any page
visited, and no page breaks its CSP. Screenshots go to .artifacts/screenshots/portal/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.auditor_world import refused_read_world, verify_offline
from tests.integration.portal_people import portal_url
from tests.integration.test_portal_browser import Visit, _fill_sign_in, chromium, playwright

pytestmark = pytest.mark.integration
__all__ = ["playwright"]  # the Chromium fixture, shared with the sign-in journeys


def test_an_auditor_finds_the_refused_read_and_the_export_verifies_offline(
    stack: Any, playwright: Any, tmp_path: Path
) -> None:
    world = refused_read_world(stack)
    base, auditor = portal_url(stack), world["portal"]["auditor"]
    police = world["people"]["police"][1]
    with chromium(playwright, accept_downloads=True) as context:
        page = context.new_page()
        visit = Visit(page, "auditor")
        page.goto(f"{base}/auditor")
        _fill_sign_in(page, auditor)
        page.get_by_label("Authenticator code").fill(auditor.next_code())
        page.get_by_role("button", name="Sign in").click()
        assert page.url == f"{base}/auditor"
        nav = page.locator(".govuk-service-navigation").inner_text()
        assert "Search the log" in nav and "Your groups" not in nav
        visit.check("search")

        page.get_by_label("Who (account id)").fill(police.account_id)
        page.get_by_label("Action or event type").fill("documents.document.read")
        page.get_by_label("Refused").check()
        page.get_by_role("button", name="Search").click()
        visit.check("refused-read")
        row = page.locator("#entries tbody tr").first
        said = row.inner_text()
        assert f"Police officer {police.account_id} was refused" in said
        assert f"on group {world['group']} because staff accounts never read" in said
        row.get_by_role("link").click()
        assert page.get_by_role("heading", name="Inclusion proof").is_visible()
        assert "was refused `documents.document.read`" in page.inner_text("#entry-words")
        visit.check("entry")

        page.goto(f"{base}/auditor?from=not+a+date")
        assert page.get_by_role("heading", name="There is a problem").is_visible()
        visit.check("search-errors")

        page.get_by_role("link", name="Export and verify").click()
        visit.check("export")
        with page.expect_download() as exported:
            page.get_by_role("button", name="Download the whole log").click()
        exported.value.save_as(tmp_path / "export.ndjson")
        with page.expect_download() as key:
            page.get_by_role("link", name="The log's public key").click()
        key.value.save_as(tmp_path / "audit.pub")
        checked = verify_offline(tmp_path / "export.ndjson", tmp_path / "audit.pub")
        assert checked.returncode == 0 and checked.stdout.startswith("OK"), checked.stdout
        assert police.account_id in (tmp_path / "export.ndjson").read_text()

        page.get_by_label("Entries in the checkpoint you kept").fill("many")
        page.get_by_role("button", name="Download with the proof from it").click()
        assert page.locator("#since-error").is_visible()
        visit.check("export-errors")

        page.goto(f"{base}/auditor/verify")
        assert "snp-audit verify" in page.inner_text("main")
        visit.check("verify")
        page.get_by_role("link", name="Checkpoints", exact=True).click()
        assert page.locator("svg.snp-chart").is_visible()
        assert page.locator("#checkpoints tbody tr").count() >= 1
        visit.check("checkpoints")
        page.close()
