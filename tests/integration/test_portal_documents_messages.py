"""A group's documents, mailing lists and messages, and the inbox, through the portal over plain
HTTP against the real stack: what the pages show is what documents and messaging say, a forged
post meets the service's refusal, and a mail's link lands in the portal (sign in, then the
document)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.messaging_helpers import body_text, mails_to, wait_until
from tests.integration.portal_docs_world import GroupWorld, group_world
from tests.integration.portal_people import csrf_of, portal_client, portal_url, sign_in

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n%minutes of the meeting\n" + uuid.uuid4().hex.encode()
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def world(stack: Any) -> GroupWorld:
    return group_world(stack)


@pytest.fixture(scope="module")
def portals(stack: Any, world: GroupWorld) -> Iterator[dict[str, httpx.Client]]:
    """The chair and two neighbours, each signed in to the portal in their own session."""
    clients = {name: portal_client(stack) for name in ("chair", "bea", "dan")}
    for name, client in clients.items():
        assert sign_in(client, world.people[name]).status_code == 303
    yield clients
    for client in clients.values():
        client.close()


def api(stack: Any, service: str) -> httpx.Client:
    http_port, _ = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=30)


def documents_of(stack: Any, world: GroupWorld, who: str = "chair") -> list[dict[str, Any]]:
    with api(stack, "documents") as documents:
        found = documents.get(f"/groups/{world.group_id}/documents", headers=world.auth(who))
    assert found.status_code == 200, found.text
    items: list[dict[str, Any]] = found.json()["items"]
    return items


def upload(
    portal: httpx.Client, world: GroupWorld, content: bytes, name: str = "minutes.pdf", **data: str
) -> httpx.Response:
    page = portal.get(f"/groups/{world.group_id}/documents")
    return portal.post(
        f"/groups/{world.group_id}/documents",
        data={"csrf_token": csrf_of(page), **data},
        files={"file": (name, content, "application/pdf")},
    )


def stored(stack: Any, world: GroupWorld, title: str) -> dict[str, Any]:
    return next(d for d in documents_of(stack, world) if d["title"] == title)


def test_an_officer_uploads_and_members_list_and_download_by_their_role(
    stack: Any, world: GroupWorld, portals: dict[str, httpx.Client]
) -> None:
    chair, bea = portals["chair"], portals["bea"]
    page = chair.get(f"/groups/{world.group_id}/documents")
    assert page.status_code == 200 and "Upload a document" in page.text
    assert f"<title>Documents \N{EN DASH} {world.group_name}" in page.text
    done = upload(chair, world, PDF, title="Minutes of May", audience="members")
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/groups/{world.group_id}/documents?done=uploaded"
    secret = upload(
        chair, world, PDF + b"officers", "plan.pdf", title="Officers' plan", audience="officers"
    )
    assert secret.status_code == 303, secret.text
    minutes, plan = stored(stack, world, "Minutes of May"), stored(stack, world, "Officers' plan")
    assert (minutes["audience"], plan["audience"]) == ("members", "officers")

    listed = bea.get(f"/groups/{world.group_id}/documents")
    assert listed.status_code == 200
    assert "Minutes of May" in listed.text and "Officers&#39; plan" not in listed.text
    assert "Upload a document" not in listed.text  # a member is not offered the form
    got = bea.get(f"/documents/{minutes['id']}")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert 'filename="minutes.pdf"' in got.headers["content-disposition"]
    assert got.headers["cache-control"] == "no-store"
    refused = bea.get(f"/documents/{plan['id']}")  # documents refuses a member an officers' file
    assert refused.status_code == 403 and "text/html" in refused.headers["content-type"]
    assert chair.get(f"/documents/{plan['id']}").content == PDF + b"officers"


def test_bad_files_get_gov_uk_errors_and_nothing_is_stored(
    stack: Any, world: GroupWorld, portals: dict[str, httpx.Client]
) -> None:
    chair = portals["chair"]
    before = len(documents_of(stack, world))
    empty = upload(chair, world, b"", "empty.pdf", title="Empty", audience="members")
    assert empty.status_code == 422
    assert "There is a problem" in empty.text and "The selected file is empty" in empty.text
    assert 'href="#file"' in empty.text and 'id="file-error"' in empty.text
    # Documents' limit (SNP_MAX_DOCUMENT_BYTES, 25 MiB): one byte over it.
    huge = upload(
        chair,
        world,
        b"%PDF-1.7\n" + b"0" * (25 * MIB - 8),
        "huge.pdf",
        title="Huge",
        audience="members",
    )
    assert huge.status_code == 413
    assert "The selected file must be smaller than 25 MB" in huge.text
    no_audience = upload(chair, world, PDF, title="No audience")
    assert no_audience.status_code == 400 and "Select who can read the document" in no_audience.text
    assert 'value="No audience"' in no_audience.text  # what was typed is kept
    odd = upload(
        chair, world, b"\x00\x01\x02binary", "tool.exe", title="A program", audience="members"
    )
    assert odd.status_code == 415 and "must be a PDF" in odd.text
    assert len(documents_of(stack, world)) == before


def test_a_member_cannot_upload_officers_documents_the_service_refuses(
    stack: Any, world: GroupWorld, portals: dict[str, httpx.Client]
) -> None:
    before = len(documents_of(stack, world))
    forged = upload(portals["bea"], world, PDF, title="Forged", audience="officers")
    assert forged.status_code == 403
    assert "text/html" in forged.headers["content-type"] and "You cannot do this" in forged.text
    assert len(documents_of(stack, world)) == before


def test_deleting_asks_first_then_the_document_is_gone(
    stack: Any, world: GroupWorld, portals: dict[str, httpx.Client]
) -> None:
    chair = portals["chair"]
    assert (
        upload(chair, world, PDF, "old.pdf", title="Old notes", audience="members").status_code
        == 303
    )
    old = stored(stack, world, "Old notes")
    confirm = chair.get(f"/groups/{world.group_id}/documents/{old['id']}/delete")
    assert confirm.status_code == 200 and "Old notes" in confirm.text
    assert "Delete the document" in confirm.text
    gone = chair.post(
        f"/groups/{world.group_id}/documents/{old['id']}/delete",
        data={"csrf_token": csrf_of(confirm)},
    )
    assert gone.status_code == 303
    assert all(d["id"] != old["id"] for d in documents_of(stack, world))
    assert chair.get(f"/documents/{old['id']}").status_code == 404


def test_mailing_lists_by_name_and_a_forwarded_document_s_link_lands_in_the_portal(
    stack: Any, world: GroupWorld, portals: dict[str, httpx.Client]
) -> None:
    chair, bea = portals["chair"], world.people["bea"]
    page = chair.get(f"/groups/{world.group_id}/mailing-lists")
    assert page.status_code == 200 and "Bea Neighbour" in page.text  # the choice, by name
    made = chair.post(
        f"/groups/{world.group_id}/mailing-lists",
        data={"csrf_token": csrf_of(page), "name": "Committee", "members": [bea.account_id]},
    )
    assert made.status_code == 303, made.text
    with api(stack, "documents") as documents:
        lists = documents.get(
            f"/groups/{world.group_id}/mailing-lists", headers=world.auth("chair")
        )
    [committee] = [item for item in lists.json()["items"] if item["name"] == "Committee"]
    assert committee["members"] == [{"account_id": bea.account_id, "display_name": "Bea Neighbour"}]
    shown = chair.get(f"/groups/{world.group_id}/mailing-lists")
    assert re.search(r"Committee</h2>.*?<li>Bea Neighbour</li>", shown.text, re.S)
    assert "Dan Neighbour</li>" not in shown.text.split("Make a mailing list")[0]
    nameless = chair.post(
        f"/groups/{world.group_id}/mailing-lists", data={"csrf_token": csrf_of(page), "name": " "}
    )
    assert nameless.status_code == 400 and "Enter a name for the list" in nameless.text

    if not any(d["title"] == "Minutes of May" for d in documents_of(stack, world)):
        upload(chair, world, PDF, title="Minutes of May", audience="members")
    minutes = stored(stack, world, "Minutes of May")
    form = chair.get(f"/groups/{world.group_id}/documents/{minutes['id']}/forward")
    assert form.status_code == 200 and "Committee" in form.text
    sent = chair.post(
        f"/groups/{world.group_id}/documents/{minutes['id']}/forward",
        data={"csrf_token": csrf_of(form), "mailing_list": committee["id"]},
    )
    assert sent.status_code == 303, sent.text

    link_end = f"/documents/{minutes['id']}"

    def notified() -> list[Any]:
        return [m for m in mails_to(stack.maildir, bea.email) if link_end in body_text(m)]

    wait_until(lambda: bool(notified()), timeout=90, what="the forwarded document's mail")
    assert not [
        m for m in mails_to(stack.maildir, world.people["dan"].email) if link_end in body_text(m)
    ]
    link = next(w for w in body_text(notified()[0]).split() if link_end in w)
    assert link == portal_url(stack) + link_end  # the portal, no longer documents' JSON
    with portal_client(stack) as browser:
        first = browser.get(link)
        assert first.status_code == 303
        assert first.headers["location"] == f"/sign-in?next={link_end.replace('/', '%2F')}"
        signed = sign_in(browser, bea, next_url=link_end)
        assert signed.status_code == 303 and signed.headers["location"] == link_end
        got = browser.get(link_end)
        assert got.status_code == 200 and got.content == PDF


def test_the_coordinator_messages_the_group_and_sees_its_delivery_by_name(
    stack: Any, world: GroupWorld, portals: dict[str, httpx.Client]
) -> None:
    chair = portals["chair"]
    page = chair.get(f"/groups/{world.group_id}/messages")
    assert page.status_code == 200 and "Message the group" in page.text
    blank = chair.post(f"/groups/{world.group_id}/messages", data={"csrf_token": csrf_of(page)})
    assert blank.status_code == 400
    assert "Enter a subject" in blank.text and "Enter your message" in blank.text
    subject = f"Street meeting {uuid.uuid4().hex[:6]}"
    sent = chair.post(
        f"/groups/{world.group_id}/messages",
        data={
            "csrf_token": csrf_of(page),
            "subject": subject,
            "body": "Tuesday at 7.\nAll welcome.",
        },
    )
    assert sent.status_code == 303, sent.text
    message_id = sent.headers["location"].rsplit("/", 1)[1]
    assert sent.headers["location"] == f"/groups/{world.group_id}/messages/{message_id}"

    with api(stack, "messaging") as messaging:

        def status() -> dict[str, Any]:
            answer = messaging.get(f"/messages/{message_id}", headers=world.auth("chair"))
            assert answer.status_code == 200, answer.text
            body: dict[str, Any] = answer.json()
            return body

        wait_until(lambda: status()["deliveries"]["sent"] == 3, timeout=90, what="3 mails sent")
        counts = status()["deliveries"]
    delivery = chair.get(sent.headers["location"])
    assert delivery.status_code == 200
    charted = dict(re.findall(r'data-status="(\w+)" data-count="(\d+)"', delivery.text))
    table = delivery.text.split('id="delivery-counts"', 1)[1].split("</table>", 1)[0]
    tabled = dict(
        re.findall(r'data-status="(\w+)">\s*<th[^>]*>[^<]*</th>\s*<td[^>]*>(\d+)</td>', table)
    )
    api_counts = {k: str(v) for k, v in counts.items() if k != "total"}
    assert charted == tabled == api_counts and api_counts["sent"] == "3"
    recipients = delivery.text.split('id="recipients"', 1)[1]
    for name in ("Cal Coordinator", "Bea Neighbour", "Dan Neighbour"):
        assert name in recipients
    listed = chair.get(f"/groups/{world.group_id}/messages")
    assert subject in listed.text

    # A neighbour is offered no form; posting one anyway meets messaging's refusal.
    bea = portals["bea"]
    theirs = bea.get(f"/groups/{world.group_id}/messages")
    assert theirs.status_code == 200 and "Message the group" not in theirs.text
    assert subject not in theirs.text  # delivery is for the sender and the officers
    forged = bea.post(
        f"/groups/{world.group_id}/messages",
        data={"csrf_token": csrf_of(theirs), "subject": "Forged", "body": "x"},
    )
    assert forged.status_code == 403 and "You cannot do this" in forged.text
    assert bea.get(sent.headers["location"]).status_code == 403

    # The neighbour's inbox: newest first, in full, with the sender's name, role and force.
    inbox = bea.get("/inbox")
    assert inbox.status_code == 200 and subject in inbox.text
    opened = bea.get(f"/inbox/{message_id}")
    assert opened.status_code == 200
    for text in ("Cal Coordinator", f"of {world.group_name}", "Test Constabulary", "All welcome."):
        assert text in opened.text
    assert portals["dan"].get(f"/inbox/{message_id}").status_code == 200
    with portal_client(stack) as stranger:
        assert stranger.get(f"/inbox/{message_id}").status_code == 303  # sign in first


def test_the_inbox_is_newest_first_and_police_attachments_download_through_the_portal(
    stack: Any, world: GroupWorld, portals: dict[str, httpx.Client]
) -> None:
    content = b"%PDF-1.4\n%appeal poster\n" + uuid.uuid4().hex.encode()
    with api(stack, "messaging") as messaging:
        attached = messaging.post(
            "/attachments",
            headers=world.auth("police"),
            files={"file": ("poster.pdf", content, "application/pdf")},
        )
        assert attached.status_code == 201, attached.text
        first = messaging.post(
            "/messages",
            headers=world.auth("police"),
            json={
                "subject": "Older alert",
                "body": "First.",
                "audience": {"type": "group", "id": world.group_id},
            },
        )
        second = messaging.post(
            "/messages",
            headers=world.auth("police"),
            json={
                "subject": "Appeal for witnesses",
                "body": "Did you see anything?",
                "type": "appeal",
                "audience": {"type": "group", "id": world.group_id},
                "attachment_ids": [attached.json()["id"]],
            },
        )
        assert first.status_code == 202 and second.status_code == 202, second.text
    bea = portals["bea"]
    inbox = bea.get("/inbox").text
    assert inbox.index("Appeal for witnesses") < inbox.index("Older alert")
    opened = bea.get(f"/inbox/{second.json()['id']}")
    assert "PC Sam Patel" in opened.text and "police officer" in opened.text
    found = re.search(r'href="(/attachments/[0-9a-f-]+)">poster.pdf<', opened.text)
    assert found, opened.text
    got = bea.get(found.group(1))
    assert got.status_code == 200 and got.content == content
    assert "attachment" in got.headers["content-disposition"]
    with portal_client(stack) as stranger:
        assert stranger.get(found.group(1)).status_code == 303  # sign in first
