"""A group's mailing list as an audience, against the real stack: messaging follows documents'
mailing list events, the group's officers message a list directly and it reaches exactly the
list's members (one removed from it, no longer); a member, police and an unknown list are
refused, and nothing is recorded for them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from snp.documents.v1 import events_pb2 as documents
from tests.integration.messaging_helpers import (
    EventPublisher,
    mails_to,
    member_token,
    wait_until,
)
from tests.integration.test_messaging_api import (  # the module's fixtures, shared
    force,
    identity,
    membership_events,
    message_count,
    messaging,
    messaging_db,
    send,
    wait_for_final,
)
from tests.integration.test_messaging_documents import documents_events

__all__ = ["documents_events", "force", "identity", "membership_events", "messaging"]
pytestmark = pytest.mark.integration


def _members_known(stack: Any, list_id: str, count: int) -> bool:
    with messaging_db(stack) as conn:
        row = conn.execute(
            "SELECT count(*) FROM mailing_list_members m JOIN mailing_lists l USING (list_id)"
            " WHERE list_id = %s",
            (list_id,),
        ).fetchone()
    return bool(row and row[0] == count)


def _got(stack: Any, people: dict[str, Any], subject: str) -> set[str]:
    return {
        name
        for name, person in people.items()
        if any(m["Subject"] == subject for m in mails_to(stack.maildir, person.email))
    }


def test_a_groups_officer_messages_its_mailing_list_and_only_its_members_get_it(
    stack: Any,
    identity: httpx.Client,
    messaging: httpx.Client,
    force: dict[str, Any],
    documents_events: EventPublisher,
) -> None:
    made, people = force["force"], force["people"]
    list_id = str(uuid.uuid4())
    stream = f"mailing-list:{list_id}"
    documents_events.publish(
        made.tenant,
        stream,
        documents.MailingListCreated(
            mailing_list_id=list_id,
            group_id=force["elm"],
            name=documents.SealedText(ciphertext=b"\x00sealed"),
            member_account_ids=[people["ann"].account_id, people["bob"].account_id],
            created_by=people["chair"].account_id,
        ),
    )
    wait_until(lambda: _members_known(stack, list_id, 2), what="messaging knowing the list")
    chair = member_token(identity, made, people["chair"])
    audience = {"type": "mailing_list", "id": list_id}
    sent = send(messaging, chair, audience, subject="Street party volunteers")
    assert sent.status_code == 202, sent.text
    assert sent.json()["recipients"] == 2
    wait_for_final(messaging, chair, sent.json()["id"], 2)
    assert _got(stack, people, "Street party volunteers") == {"ann", "bob"}

    before = message_count(stack)
    ann = member_token(identity, made, people["ann"])  # on the list, not an officer
    assert send(messaging, ann, audience).status_code == 403
    assert send(messaging, made.police.token, audience).status_code == 403
    dan = member_token(identity, made, people["dan"])  # an officer of another group
    assert send(messaging, dan, audience).status_code == 403
    unknown = send(messaging, chair, {"type": "mailing_list", "id": str(uuid.uuid4())})
    assert unknown.status_code == 422
    assert "unknown audience: no mailing list" in unknown.text
    assert message_count(stack) == before

    documents_events.publish(
        made.tenant,
        stream,
        documents.MailingListMemberRemoved(
            mailing_list_id=list_id,
            group_id=force["elm"],
            account_id=people["bob"].account_id,
            reason="left_group",
        ),
    )
    wait_until(lambda: _members_known(stack, list_id, 1), what="bob off the list")
    again = send(messaging, chair, audience, subject="Street party: thank you")
    assert again.status_code == 202 and again.json()["recipients"] == 1
    wait_for_final(messaging, chair, again.json()["id"], 1)
    assert _got(stack, people, "Street party: thank you") == {"ann"}
