"""Who has seen my contact details, against the real stack: a chair's group message (delivered
by messaging's workers, which ask identity's directory for the address) and a police lookup by
email are the member's disclosures, newest first, each in words; another member's are not
among them; another member, police and a tenant admin are refused (403, the policy's); and a
directory request without a purpose is refused over gRPC and records nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import psycopg
import pytest

from snp.identity.v1 import directory_pb2 as dpb
from snp.identity.v1 import directory_pb2_grpc as rpc
from snp.identity.v1 import events_pb2 as epb
from snp_platform.service_auth import ServiceTokenClientInterceptor, ServiceTokenSigner
from snp_stack.secrets import service_private_key
from tests.integration.group_people import a_force_of
from tests.integration.membership_people import (
    Person,
    found_group,
    identity_client,
    join,
    membership_client,
)
from tests.integration.messaging_helpers import wait_until
from tests.integration.portal_people import Account

pytestmark = pytest.mark.integration

SUBJECT = "Bike thefts on Elm Street"
PANEL = "Riverside Ward Panel"


@pytest.fixture(scope="module")
def identity(stack: Any) -> Iterator[httpx.Client]:
    with identity_client(stack) as client:
        yield client


@pytest.fixture(scope="module")
def force(stack: Any) -> dict[str, tuple[Account, Person]]:
    return a_force_of(
        stack,
        alice=("member", "Alice Chair"),
        bob=("member", "Bob Resident"),
        carol=("member", "Carol Other"),
        police=("police", "PC Sam Patel"),
        admin=("tenant_admin", "Ada Admin"),
    )


@pytest.fixture(scope="module")
def people(force: dict[str, tuple[Account, Person]]) -> dict[str, Person]:
    return {key: person for key, (_account, person) in force.items()}


def _messaging(stack: Any) -> httpx.Client:
    port = stack.ports.services["messaging"][0]
    return httpx.Client(base_url=f"http://127.0.0.1:{port}/messaging", timeout=30)


def _disclosures(identity: httpx.Client, who: Person, **params: Any) -> httpx.Response:
    return identity.get("/me/disclosures", headers=who.auth, params=params)


def _released(stack: Any, account_id: str) -> list[epb.ContactsReleased]:
    """Every release naming the account, oldest first: a lookup's on its own stream, and its
    part of each batch (a fan-out's) released with others."""
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        rows = conn.execute(
            "SELECT event_type, payload FROM events WHERE (stream_id = %s"
            " AND event_type = 'identity.ContactsReleased')"
            " OR event_type = 'identity.ContactsBatchReleased' ORDER BY position",
            (f"account:{account_id}",),
        ).fetchall()
    found = []
    for event_type, payload in rows:
        if event_type == "identity.ContactsReleased":
            found.append(epb.ContactsReleased.FromString(bytes(payload)))
            continue
        batch = epb.ContactsBatchReleased.FromString(bytes(payload))
        if account_id in batch.account_ids:
            found.append(
                epb.ContactsReleased(
                    account_id=account_id,
                    requested_by=batch.requested_by,
                    purpose=batch.purpose,
                    why=batch.why,
                )
            )
    return found


def test_a_members_disclosures_are_the_group_message_and_the_police_lookup_in_words(
    stack: Any,
    identity: httpx.Client,
    force: dict[str, tuple[Account, Person]],
    people: dict[str, Person],
) -> None:
    alice, bob, carol, police = people["alice"], people["bob"], people["carol"], people["police"]
    force_name = identity.get(f"/public/tenants/{bob.tenant}").json()["display_name"]
    with membership_client(stack) as membership, _messaging(stack) as messaging:
        group = found_group(membership, alice, name="Elm Street Watch")
        join(membership, group, alice, bob)
        draft = {
            "subject": SUBJECT,
            "body": "Lock your bikes, please.",
            "type": "general",
            "priority": "normal",
            "audience": {"type": "group", "id": group},
        }

        def messaging_knows_both() -> bool:
            preview = messaging.post("/previews", json=draft, headers=alice.auth)
            return preview.status_code == 200 and preview.json()["recipients"] == 2

        wait_until(messaging_knows_both, 90, "messaging to know the group's two members")
        sent = messaging.post("/messages", json=draft, headers=alice.auth)
        assert sent.status_code == 202, sent.text
        message_id = sent.json()["id"]

    def delivered() -> bool:
        return bool(_disclosures(identity, bob).json()["disclosures"])

    wait_until(delivered, 90, "the delivery worker to ask for Bob's address")
    looked_up = identity.post(
        "/staff/member-lookups",
        json={"email": force["bob"][0].email, "for_panel": PANEL},
        headers=police.auth,
    )
    assert looked_up.status_code == 200, looked_up.text

    listed = _disclosures(identity, bob)
    assert listed.status_code == 200, listed.text
    entries = listed.json()["disclosures"]
    assert [(e["service"], e["purpose"], e["words"]) for e in entries] == [
        (
            "identity",
            "staff_lookup",
            f"the {force_name} police team looked you up by email to name you chair of {PANEL}",
        ),
        (
            "messaging",
            "message_delivery",
            f"sent you “{SUBJECT}” for the coordinator of Elm Street Watch",
        ),
    ]
    assert entries[1]["message_id"] == message_id
    assert entries[0]["released_at"] >= entries[1]["released_at"]
    assert entries[0]["requested_by"] == "staff"  # the force's team, not which officer
    assert listed.json()["next_cursor"] is None
    # Exactly the releases on Bob's own stream; Alice's own delivery is hers, not his.
    assert len(_released(stack, bob.account_id)) == 2
    assert [e["words"] for e in _disclosures(identity, alice).json()["disclosures"]] == [
        f"sent you “{SUBJECT}” for the coordinator of Elm Street Watch"
    ]
    assert _disclosures(identity, carol).json() == {"disclosures": [], "next_cursor": None}

    first = _disclosures(identity, bob, limit=1).json()
    assert [e["purpose"] for e in first["disclosures"]] == ["staff_lookup"]
    rest = _disclosures(identity, bob, limit=1, cursor=first["next_cursor"]).json()
    assert [e["purpose"] for e in rest["disclosures"]] == ["message_delivery"]
    assert rest["next_cursor"] is None
    # Carol's cursor on Bob's list, or Bob's on Carol's, pages nothing of the other's.
    crossed = _disclosures(identity, carol, cursor=first["disclosures"][0]["event_id"])
    assert crossed.json()["disclosures"] == []


def test_no_one_but_the_member_sees_their_disclosures(
    identity: httpx.Client, people: dict[str, Person]
) -> None:
    bob = people["bob"]
    for key in ("carol", "police", "admin"):
        other = identity.get(f"/accounts/{bob.account_id}/disclosures", headers=people[key].auth)
        assert other.status_code == 403, (key, other.text)
        assert other.headers["content-type"].startswith("application/problem+json")
    for key in ("police", "admin"):
        assert _disclosures(identity, people[key]).status_code == 403, key
    assert (
        identity.get(f"/accounts/{bob.account_id}/disclosures", headers=bob.auth).status_code == 200
    )
    assert identity.get("/me/disclosures").status_code == 401


def test_a_release_without_a_purpose_is_refused_over_grpc_and_records_nothing(
    stack: Any, identity: httpx.Client, people: dict[str, Person]
) -> None:
    carol = people["carol"]
    channel = _as_messaging(stack)
    before = _released(stack, carol.account_id)
    refused_requests = [
        dpb.GetContactsRequest(tenant=carol.tenant, account_ids=[carol.account_id]),
        dpb.GetContactsRequest(
            tenant=carol.tenant, account_ids=[carol.account_id], purpose="message delivery"
        ),
        dpb.GetContactsRequest(
            tenant=carol.tenant,
            account_ids=[carol.account_id],
            why=epb.ReleasePurpose(code="message_delivery", message_id="m1"),  # no subject
        ),
        dpb.GetContactsRequest(
            tenant=carol.tenant,
            account_ids=[carol.account_id],
            why=epb.ReleasePurpose(code="curiosity"),
        ),
    ]
    with channel:
        stub = rpc.DirectoryStub(channel)
        for request in refused_requests:
            with pytest.raises(grpc.RpcError) as refused:
                stub.GetContacts(request, timeout=10)
            assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
            assert "say why" in str(refused.value.details())
        assert _released(stack, carol.account_id) == before
        assert _disclosures(identity, carol).json()["disclosures"] == []
        # The control: the same request with a whole purpose is answered and recorded.
        whole = epb.ReleasePurpose(
            code="message_delivery",
            message_id="0190c1e2-0000-7000-8000-000000000042",
            subject="Street party",
            sender_role="police officer",
            sender_kind="police",
            force="Control Police",
        )
        [contact] = stub.GetContacts(
            dpb.GetContactsRequest(tenant=carol.tenant, account_ids=[carol.account_id], why=whole),
            timeout=10,
        ).contacts
    assert contact.account_id == carol.account_id
    [release] = _released(stack, carol.account_id)[len(before) :]
    assert release.why == whole and release.requested_by == "messaging"
    [entry] = _disclosures(identity, carol).json()["disclosures"]
    assert entry["words"] == "sent you “Street party” for a police officer of Control Police"


def test_one_request_for_many_contacts_is_one_event_and_a_disclosure_for_each(
    stack: Any, identity: httpx.Client, people: dict[str, Person]
) -> None:
    named = [people[key] for key in ("alice", "bob", "carol")]
    ids = [p.account_id for p in named]
    why = epb.ReleasePurpose(
        code="message_delivery",
        message_id="0190c1e2-0000-7000-8000-000000000077",
        subject="Bin collection changes",
        sender_role="police officer",
        sender_kind="police",
        force="Batch Police",
    )
    before = {p.account_id: _disclosures(identity, p).json()["disclosures"] for p in named}
    batches = _batch_count(stack)
    with _as_messaging(stack) as channel:
        answer = rpc.DirectoryStub(channel).GetContacts(
            dpb.GetContactsRequest(tenant=named[0].tenant, account_ids=ids, why=why), timeout=10
        )
    assert sorted(c.account_id for c in answer.contacts) == sorted(ids)
    assert _batch_count(stack) == batches + 1  # one event for the three, not three
    event_ids = set()
    for person in named:
        now = _disclosures(identity, person).json()["disclosures"]
        [new] = now[: len(now) - len(before[person.account_id])]
        assert (
            new["words"] == "sent you “Bin collection changes” for a police officer of Batch Police"
        )
        event_ids.add(new["event_id"])
    assert len(event_ids) == 1


def _batch_count(stack: Any) -> int:
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        row = conn.execute(
            "SELECT count(*) FROM events WHERE event_type = 'identity.ContactsBatchReleased'"
        ).fetchone()
    return int(row[0]) if row else 0


def _as_messaging(stack: Any) -> grpc.Channel:
    """Identity's gRPC as messaging calls it (its service token)."""
    _http, grpc_port = stack.ports.services["identity"]
    signer = ServiceTokenSigner("messaging", service_private_key(stack.state_dir, "messaging"))
    return grpc.intercept_channel(
        grpc.insecure_channel(f"127.0.0.1:{grpc_port}"),
        ServiceTokenClientInterceptor(signer, "identity"),
    )


def test_the_disclosures_rebuild_from_identitys_store_to_the_same_rows_and_no_event(
    stack: Any, people: dict[str, Person]
) -> None:
    from psycopg_pool import ConnectionPool

    from snp_identity.adapters.disclosures import DisclosuresProjection
    from snp_platform.projections import StoreProjector

    def rows_and_events() -> tuple[list[Any], int]:
        with psycopg.connect(stack.service_database_url("identity")) as conn:
            rows = conn.execute("SELECT * FROM disclosures ORDER BY event_id").fetchall()
            events = conn.execute("SELECT count(*) FROM events").fetchone()
        return rows, int(events[0]) if events else 0

    before = rows_and_events()
    assert any(row[2] == people["bob"].account_id for row in before[0])
    url = stack.service_database_url("identity")
    with ConnectionPool(url, min_size=1, max_size=2) as pool:
        applied = StoreProjector(pool, DisclosuresProjection(), "identity").rebuild()
    assert applied >= before[1]
    assert rows_and_events() == before
