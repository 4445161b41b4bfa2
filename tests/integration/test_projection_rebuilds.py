"""Every projection of every service, rebuilt into the live database after a history with
re-joins, leavers, lists, a forwarded document and a group hidden after its founding (the
groups' visibility, which engagement's naming of hidden panels rests on), comes out equal and
records no event: a projection is state only (DESIGN invariant 13). The documents case is the
bug this guards against: a member who left, came back and was put on a list stays on it, with
no false MailingListMemberRemoved in documents' store."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from snp_documents.adapters.projections import group_roles_projection
from snp_engagement.adapters.projections import (
    group_roles_projection as engagement_group_roles_projection,
)
from snp_membership.adapters.projections import KnownAccountsProjection
from snp_membership.adapters.rebuild import rebuild_group_tables
from snp_messaging.adapters.projections import RecipientsProjection
from snp_platform.projections import Projection, rebuild_from_kafka
from snp_platform.revocations import RevocationsProjection
from snp_platform.topics import events_topic
from tests.integration.documents_world import (
    found_group,
    join_group,
    make_accounts,
    roles_in_documents,
)
from tests.integration.kafka_helpers import wait_until

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
TABLES = {
    "membership": ["groups", "group_members", "group_officers", "join_requests", "approvals"],
    "documents": ["groups", "group_roles", "mailing_list_members", "token_revocations"],
    "messaging": ["groups", "group_roles", "forces", "erased_accounts"],
    "engagement": ["groups", "group_roles"],
    "audit": ["token_revocations"],
}


def _client(stack: Any, service: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[service]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{service}", timeout=60)


@pytest.fixture(scope="module")
def history(stack: Any) -> Iterator[dict[str, Any]]:
    """A chair's group: Fay joins, leaves, joins again and is put on a list; Gus joins and is
    removed; a document is forwarded to the list (messaging notifies Fay); the chair hides the
    group (engagement learns its visibility)."""
    with _client(stack, "membership") as membership, _client(stack, "documents") as documents:
        tenant = f"force-{uuid.uuid4().hex[:6]}"
        people = make_accounts(
            stack, tenant, [("chair", "member"), ("fay", "member"), ("gus", "member")]
        )
        chair, fay, gus = people["chair"], people["fay"], people["gus"]
        group = found_group(membership, chair)
        join_group(membership, group, fay, chair)
        join_group(membership, group, gus, chair)
        left = membership.delete(f"/groups/{group}/members/{fay.account_id}", headers=fay.headers)
        assert left.status_code in (200, 204), left.text
        removed = membership.delete(
            f"/groups/{group}/members/{gus.account_id}", headers=chair.headers
        )
        assert removed.status_code in (200, 204), removed.text
        join_group(membership, group, fay, chair)
        wait_until(
            lambda: (
                roles_in_documents(stack, group, fay.account_id) == {"member"}
                and not roles_in_documents(stack, group, gus.account_id)
            ),
            60,
            "documents applying the re-join and the removal",
        )
        made = documents.post(
            f"/groups/{group}/mailing-lists",
            headers=chair.headers,
            json={"name": "Street reps", "member_account_ids": [fay.account_id]},
        )
        assert made.status_code == 201, made.text
        document = documents.post(
            f"/groups/{group}/documents",
            headers=chair.headers,
            data={"title": "Rota", "audience": "members"},
            files={"file": ("rota.pdf", PDF + b"rota" * 50, "application/pdf")},
        )
        assert document.status_code == 201, document.text
        forwarded = documents.post(
            f"/documents/{document.json()['id']}/forward",
            headers=chair.headers,
            json={"mailing_list_id": made.json()["id"]},
        )
        assert forwarded.status_code in (200, 202), forwarded.text
        wait_until(
            lambda: _count(stack, "messaging", "deliveries", fay.account_id) > 0,
            60,
            "messaging notifying the list of the forwarded document",
        )
        hidden = membership.patch(
            f"/groups/{group}", headers=chair.headers, json={"visibility": "hidden"}
        )
        assert hidden.status_code == 200, hidden.text
        wait_until(
            lambda: _visibility(stack, "engagement", group) == "hidden",
            60,
            "engagement learning that the group is hidden",
        )
        yield {"group": group, "fay": fay, "list": made.json()["id"]}


def _count(stack: Any, service: str, table: str, account_id: str) -> int:
    with psycopg.connect(stack.service_database_url(service)) as conn:
        row = conn.execute(
            f"SELECT count(*) FROM {table} WHERE account_id = %s",
            (account_id,),
        ).fetchone()
    return int(row[0]) if row else 0


def _visibility(stack: Any, service: str, group: str) -> str | None:
    with psycopg.connect(stack.service_database_url(service)) as conn:
        row = conn.execute("SELECT visibility FROM groups WHERE group_id = %s", (group,)).fetchone()
    return None if row is None else str(row[0])


def _state(stack: Any, service: str) -> dict[str, Any]:
    """Every row of the service's read-model tables, and how many events its store holds."""
    with psycopg.connect(stack.service_database_url(service)) as conn:
        snapshot: dict[str, Any] = {
            table: sorted(map(repr, conn.execute(f"SELECT * FROM {table}").fetchall()))
            for table in TABLES[service]
        }
        snapshot["events"] = conn.execute("SELECT count(*) FROM events").fetchone()
        if service == "messaging":  # a reaction run again would queue deliveries again
            snapshot["deliveries"] = conn.execute("SELECT count(*) FROM deliveries").fetchone()
    return snapshot


def _from_kafka(stack: Any, service: str, projection: Projection, *sources: str) -> int:
    with ConnectionPool(stack.service_database_url(service), min_size=1, max_size=2) as pool:
        topics = [events_topic(s) for s in sources]
        return rebuild_from_kafka(pool, stack.kafka_bootstrap, projection, topics, timeout=30)


def _group_tables(stack: Any) -> int:
    with ConnectionPool(stack.service_database_url("membership"), min_size=1, max_size=2) as pool:
        return rebuild_group_tables(pool)


# (service, projection, how to rebuild it)
CASES: list[tuple[str, str, Callable[[Any], int]]] = [
    ("membership", "group tables", _group_tables),
    (
        "membership",
        "known accounts",
        lambda s: _from_kafka(s, "membership", KnownAccountsProjection(), "identity"),
    ),
    (
        "documents",
        "group roles",
        lambda s: _from_kafka(s, "documents", group_roles_projection(), "membership"),
    ),
    (
        "engagement",
        "group roles",
        lambda s: _from_kafka(s, "engagement", engagement_group_roles_projection(), "membership"),
    ),
    (
        "messaging",
        "recipients",
        lambda s: _from_kafka(s, "messaging", RecipientsProjection(), "membership", "identity"),
    ),
    *(
        (
            service,
            "revocations",
            lambda s, service=service: _from_kafka(s, service, RevocationsProjection(), "identity"),
        )
        for service in ("membership", "documents", "messaging", "audit")
    ),
]


@pytest.mark.parametrize(
    ("service", "projection", "rebuild"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_rebuilding_a_projection_into_the_live_database_changes_nothing(
    stack: Any,
    history: dict[str, Any],
    service: str,
    projection: str,
    rebuild: Callable[[Any], int],
) -> None:
    before = _state(stack, service)
    assert rebuild(stack) > 0
    after = _state(stack, service)
    assert after["events"] == before["events"], f"rebuilding {projection} recorded events"
    assert after == before, f"{service}'s {projection} differs after its rebuild"


def test_the_member_who_came_back_is_still_on_the_list_after_a_rebuild(
    stack: Any, history: dict[str, Any]
) -> None:
    _from_kafka(stack, "documents", group_roles_projection(), "membership")
    with psycopg.connect(stack.service_database_url("documents")) as conn:
        on_list = conn.execute(
            "SELECT 1 FROM mailing_list_members WHERE mailing_list_id = %s AND account_id = %s",
            (history["list"], history["fay"].account_id),
        ).fetchone()
        removals = conn.execute(
            "SELECT count(*) FROM events WHERE event_type = 'documents.MailingListMemberRemoved'"
            " AND stream_id = %s",
            (f"mailing-list:{history['list']}",),
        ).fetchone()
    assert on_list is not None
    assert removals == (0,)


def test_a_hidden_group_is_still_hidden_after_engagement_rebuilds_its_groups(
    stack: Any, history: dict[str, Any]
) -> None:
    assert _from_kafka(stack, "engagement", engagement_group_roles_projection(), "membership")
    assert _visibility(stack, "engagement", history["group"]) == "hidden"
