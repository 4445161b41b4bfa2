"""Documents driven through membership's own API on the stack: groups founded, members
admitted, officers appointed and stood down, members leaving — documents follows membership's
events, so access changes as soon as its consumer has applied them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.integration.documents_world import (
    Account,
    found_group,
    join_group,
    make_accounts,
    roles_in_documents,
)
from tests.integration.kafka_helpers import wait_until

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def _client(stack: Any, service: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=60)


@pytest.fixture(scope="module")
def apis(stack: Any) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with _client(stack, "membership") as membership, _client(stack, "documents") as documents:
        yield membership, documents


def test_membership_changes_reach_document_access(
    stack: Any, apis: tuple[httpx.Client, httpx.Client]
) -> None:
    membership, documents = apis
    tenant = f"force-{uuid.uuid4().hex[:6]}"
    people = make_accounts(
        stack,
        tenant,
        [("chair", "member"), ("secretary", "member"), ("member", "member"), ("police", "police")],
    )
    chair, secretary, member = people["chair"], people["secretary"], people["member"]
    group = found_group(membership, chair)
    join_group(membership, group, secretary, chair)
    join_group(membership, group, member, chair)
    appointed = membership.put(
        f"/groups/{group}/officers/secretary",
        headers=chair.headers,
        json={"account_id": secretary.account_id},
    )
    assert appointed.status_code == 200, appointed.text
    wait_until(
        lambda: "secretary" in roles_in_documents(stack, group, secretary.account_id),
        60,
        "documents applying the appointment",
    )

    def upload(who: Account, audience: str) -> httpx.Response:
        return documents.post(
            f"/groups/{group}/documents",
            headers=who.headers,
            data={"title": "Agenda", "audience": audience},
            files={"file": ("agenda.pdf", PDF + audience.encode() * 100, "application/pdf")},
        )

    officers_doc = upload(secretary, "officers")
    members_doc = upload(secretary, "members")
    assert officers_doc.status_code == members_doc.status_code == 201
    officers_id, members_id = officers_doc.json()["id"], members_doc.json()["id"]
    assert (
        documents.get(f"/documents/{members_id}/content", headers=member.headers).status_code == 200
    )
    assert documents.get(f"/documents/{officers_id}", headers=member.headers).status_code == 403
    police = documents.get(f"/groups/{group}/documents", headers=people["police"].headers)
    assert police.status_code == 404  # outside the group: as if there were no such group

    made = documents.post(
        f"/groups/{group}/mailing-lists",
        headers=chair.headers,
        json={"name": "Committee", "member_account_ids": [member.account_id]},
    )
    assert made.status_code == 201, made.text

    stood_down = membership.delete(
        f"/groups/{group}/officers/secretary/{secretary.account_id}", headers=chair.headers
    )
    assert stood_down.status_code in (200, 204), stood_down.text
    wait_until(
        lambda: (
            documents.get(f"/documents/{officers_id}", headers=secretary.headers).status_code == 403
        ),
        60,
        "the stood-down secretary losing access",
    )
    assert upload(secretary, "members").status_code == 403

    left = membership.delete(f"/groups/{group}/members/{member.account_id}", headers=member.headers)
    assert left.status_code in (200, 204), left.text
    wait_until(
        lambda: not roles_in_documents(stack, group, member.account_id), 60, "the leave applied"
    )
    lists = documents.get(f"/groups/{group}/mailing-lists", headers=chair.headers).json()["items"]
    assert lists and all(member.account_id not in entry["member_account_ids"] for entry in lists)
    # Gone from the group, the document is as unknown to them as to any outsider.
    assert documents.get(f"/documents/{members_id}", headers=member.headers).status_code == 404
