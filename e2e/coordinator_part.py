"""The coordinator's part of the joining journey, in their own browser: found the group, admit
the neighbour who asked, upload a document for the members, message the group with the
document's link on a line of its own, and see the neighbour among the message's recipients."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import expect

from e2e.journey import SHOTS, Journey
from e2e.people_at_once import own_chromium
from tests.integration.browser_pages import Visit, found_a_group
from tests.integration.portal_account_world import wait_until
from tests.integration.portal_docs_world import roles_known

DOCUMENT_TITLE = "Spring newsletter"


def coordinator_part(journey: Journey) -> None:
    base, neighbour = journey.base, journey.neighbour
    with own_chromium() as context:
        page = context.new_page()
        visit = Visit(page, "coordinator", SHOTS)
        found_a_group(page, visit, base, journey.coordinator, journey.group_name)
        group_id = page.url.rsplit("/", 1)[1]
        expect(page.get_by_role("heading", name=journey.group_name)).to_be_visible()
        visit.check("group-founded")
        journey.handoff.tell("group founded", group_id)

        journey.handoff.wait_for("asked to join")
        open_section(page, "Members")
        visit.check("join-request-waiting")
        page.get_by_role("button", name=f"Admit {neighbour.name}").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            f"{neighbour.name} is now a member of the group."
        )
        visit.check("admitted")
        neighbour_id = _member_id(journey, group_id, neighbour.name)
        journey.handoff.tell("admitted", neighbour_id)
        # The portal shows membership's answer at once; documents and messaging learn of the
        # new member from its events a moment later, and sending earlier would leave them out.
        everyone = [journey.coordinator.account_id, neighbour_id]
        wait_until(
            lambda: all(roles_known(journey.stack, s, group_id, everyone) for s in SERVICES),
            timeout=120,
            what="documents and messaging to learn of the new member",
        )

        open_section(page, "Documents")
        page.get_by_label("File").set_input_files(str(journey.document))
        page.get_by_label("Title").fill(DOCUMENT_TITLE)
        page.get_by_label("Everyone in the group").check()
        page.get_by_role("button", name="Upload").click()
        expect(page.locator("main")).to_contain_text("The document was uploaded.")
        visit.check("document-uploaded")
        # What a person does with "Copy link address": the link is the portal's own page.
        document_link = base + page.get_by_role(
            "link", name=re.compile(rf"^{DOCUMENT_TITLE}")
        ).get_attribute("href")

        open_section(page, "Messages")
        subject = f"The spring newsletter {uuid.uuid4().hex[:4]}"
        page.get_by_label("Subject").fill(subject)
        page.get_by_label("Message").fill(
            f"Welcome to {journey.group_name}, {neighbour.name}.\n\n"
            f"Our spring newsletter is in the group's documents:\n{document_link}\n"
        )
        page.get_by_role("button", name="Send the message").click()
        expect(page.get_by_role("heading", name=subject)).to_be_visible()
        message_id = page.url.rsplit("/", 1)[1]
        expect(page.locator("#recipients")).to_contain_text(neighbour.name)
        visit.check("message-delivery")
        journey.handoff.tell("messaged", (subject, document_link, message_id))

        journey.handoff.wait_for("left")
        # By now the neighbour has read the mail: the delivery page says it was sent.
        wait_until(
            lambda: _delivery_status(page, neighbour.name) == "Sent",
            what="the delivery page to show the neighbour's email as sent",
        )
        visit.check("message-delivered")
        page.locator("a.govuk-back-link").click()  # back to the group's messages
        open_section(page, "Members")
        expect(page.locator("main")).not_to_contain_text(neighbour.name)
        visit.check("after-the-neighbour-left")


SERVICES = ("documents", "messaging")


def open_section(page: Any, section: str) -> None:
    """One of the group's pages, from the group's own navigation."""
    link = page.get_by_role("navigation", name="This group").get_by_role(
        "link", name=section, exact=True
    )
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")  # the new page, not the one still showing


def _delivery_status(page: Any, name: str) -> str:
    page.reload()
    row = page.locator("#recipients tr").filter(has_text=name)
    return str(row.locator(".govuk-tag").inner_text()).strip()


def _member_id(journey: Journey, group_id: str, name: str) -> str:
    """The neighbour's account id, as membership lists them among the group's members."""
    with journey.membership() as membership:
        listed = membership.get(f"/groups/{group_id}/members")
    assert listed.status_code == 200, listed.text
    found = [m["account_id"] for m in listed.json()["members"] if m["display_name"] == name]
    assert len(found) == 1, listed.json()
    return str(found[0])
