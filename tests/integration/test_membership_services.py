"""Membership with the rest of the platform: identity's erasure, the gRPC queries for other
services, events on Kafka, and projections rebuilt from the event store equal to the live ones."""

from __future__ import annotations

import functools
import operator
import os
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import psycopg
import pytest
from confluent_kafka import Consumer
from psycopg_pool import ConnectionPool

from snp.membership.v1 import events_pb2
from snp.membership.v1 import queries_pb2 as pb
from snp.membership.v1 import queries_pb2_grpc as rpc
from snp_membership.adapters.projections import KnownAccountsProjection
from snp_platform.envelope import decode_envelope
from snp_platform.projections import rebuild_from_kafka
from snp_platform.service_auth import ServiceTokenClientInterceptor, ServiceTokenSigner
from snp_stack.secrets import service_private_key
from tests.integration.membership_people import (
    Person,
    found_group,
    identity_client,
    join,
    membership_api_fixture,  # noqa: F401 (the api fixture)
    people_in_new_forces,
    stream_event_types,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def people(stack: Any) -> dict[str, Person]:
    return people_in_new_forces(
        stack,
        {
            "erin": ("member", "Erin Leaving"),
            "fred": ("member", "Fred Staying"),
            "gail": ("member", "Gail Coordinator"),
            "police": ("police", "PC Khan"),
            "admin": ("tenant_admin", "Ada Admin"),
        },
        {"other": ("member", "Elsewhere")},
    )


def wait_for(condition: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_erased_account_leaves_every_group_and_a_leaderless_group_is_flagged(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    erin, fred, gail, police = people["erin"], people["fred"], people["gail"], people["police"]
    led = found_group(api, erin)  # Erin is its only coordinator
    join(api, led, erin, fred)
    joined = found_group(api, gail)
    join(api, joined, gail, erin)
    marked = api.post(
        "/approvals",
        json={
            "group_id": led,
            "subject": "coordinator",
            "account_id": erin.account_id,
            "side": "police",
        },
        headers=police.auth,
    )
    assert marked.status_code == 201
    with identity_client(stack) as identity:
        # Erin's own request is refused while she leads the group alone (she hands over
        # first); the force's administrator erases her all the same (a legal demand).
        refused = identity.delete(f"/accounts/{erin.account_id}", headers=erin.auth)
        assert refused.status_code == 409, refused.text
        assert refused.json()["type"] == "urn:snp:problem:last-leader"
        assert [e["group_id"] for e in refused.json()["errors"]] == [led]
        erased = identity.delete(f"/accounts/{erin.account_id}", headers=people["admin"].auth)
        assert erased.status_code in (200, 204), erased.text

    def erin_gone() -> bool:
        with psycopg.connect(stack.service_database_url("membership")) as conn:
            row = conn.execute(
                "SELECT count(*) FROM group_members WHERE account_id = %s", (erin.account_id,)
            ).fetchone()
        return row is not None and row[0] == 0

    wait_for(erin_gone, "the erasure to reach membership")
    flagged = api.get(f"/groups/{led}", headers=police.auth).json()
    assert flagged["needs_officer"] is True and flagged["officers"] == []
    assert stream_event_types(stack, led)[-4:] == [
        "membership.OfficerStoodDown",
        "membership.ApprovalWithdrawn",
        "membership.MemberLeft",
        "membership.GroupNeedsOfficer",
    ]
    assert stream_event_types(stack, joined)[-1] == "membership.MemberLeft"
    assert api.get(f"/groups/{joined}", headers=gail.auth).json()["needs_officer"] is False
    members = api.get(f"/groups/{led}/members", headers=police.auth).json()["members"]
    assert [m["account_id"] for m in members] == [fred.account_id]


@pytest.fixture(scope="module")
def queries(stack: Any) -> Iterator[rpc.MembershipQueriesStub]:
    """MembershipQueries as the documents service calls it (signed with documents' key)."""
    _http, grpc_port = stack.ports.services["membership"]
    signer = ServiceTokenSigner("documents", service_private_key(stack.state_dir, "documents"))
    channel = grpc.intercept_channel(
        grpc.insecure_channel(f"127.0.0.1:{grpc_port}"),
        ServiceTokenClientInterceptor(signer, "membership"),
    )
    yield rpc.MembershipQueriesStub(channel)
    channel.close()


def test_other_services_query_roles_members_and_groups_over_grpc(
    stack: Any, api: httpx.Client, people: dict[str, Person], queries: rpc.MembershipQueriesStub
) -> None:
    fred, gail, other = people["fred"], people["gail"], people["other"]
    group_id = found_group(api, gail, directory="members")
    join(api, group_id, gail, fred)
    roles = queries.GetGroupRoles(
        pb.GetGroupRolesRequest(tenant=gail.tenant, group_id=group_id, account_id=gail.account_id)
    )
    assert roles.group_found and list(roles.roles) == ["member", "coordinator"]
    assert roles.group.group_type == "neighbourhood_watch" and roles.group.directory == "members"
    outsider = queries.GetGroupRoles(
        pb.GetGroupRolesRequest(tenant=gail.tenant, group_id=group_id, account_id=other.account_id)
    )
    assert outsider.group_found and list(outsider.roles) == []
    elsewhere = queries.GetGroupRoles(
        pb.GetGroupRolesRequest(tenant=other.tenant, group_id=group_id, account_id=gail.account_id)
    )
    assert not elsewhere.group_found and list(elsewhere.roles) == []
    pages, token = [], ""
    while True:
        page = queries.ListGroupMembers(
            pb.ListGroupMembersRequest(
                tenant=gail.tenant, group_id=group_id, page_size=1, page_token=token
            )
        )
        pages.append([(m.account_id, list(m.roles)) for m in page.members])
        token = page.next_page_token
        if not token:
            break
    assert sorted(functools.reduce(operator.iadd, pages, [])) == sorted(
        [(gail.account_id, ["member", "coordinator"]), (fred.account_id, ["member"])]
    )
    assert len(pages) == 2
    mine = queries.ListAccountGroups(
        pb.ListAccountGroupsRequest(tenant=fred.tenant, account_id=fred.account_id)
    )
    assert group_id in {g.group.group_id for g in mine.groups}
    led = queries.ListGroupsLedAlone(
        pb.ListGroupsLedAloneRequest(tenant=gail.tenant, account_id=gail.account_id)
    )
    assert group_id in {g.group_id for g in led.groups}
    assert {g.role for g in led.groups} == {"coordinator"}
    followers = queries.ListGroupsLedAlone(
        pb.ListGroupsLedAloneRequest(tenant=fred.tenant, account_id=fred.account_id)
    )
    assert group_id not in {g.group_id for g in followers.groups}  # a plain member leads none
    elsewhere_led = queries.ListGroupsLedAlone(
        pb.ListGroupsLedAloneRequest(tenant=other.tenant, account_id=gail.account_id)
    )
    assert list(elsewhere_led.groups) == []  # nothing of another tenant
    _http, grpc_port = stack.ports.services["membership"]
    with (
        grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as anonymous,
        pytest.raises(grpc.RpcError) as refused,
    ):
        rpc.MembershipQueriesStub(anonymous).GetGroupRoles(
            pb.GetGroupRolesRequest(tenant=gail.tenant, group_id=group_id, account_id="x")
        )
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_events_reach_kafka_self_sufficient_and_without_personal_data(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    gail, fred = people["gail"], people["fred"]
    group_id = found_group(api, gail, ward_code="E09000033", ward_name="Westminster")
    join(api, group_id, gail, fred)
    reader = Consumer(
        {
            "bootstrap.servers": stack.kafka_bootstrap,
            "group.id": f"test-membership-{group_id}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    reader.subscribe(["snp.membership.events"])
    seen: dict[str, Any] = {}
    deadline = time.monotonic() + 60
    try:
        while "membership.MemberAdmitted" not in seen or len(seen) < 3:
            assert time.monotonic() < deadline, f"only saw {sorted(seen)}"
            message = reader.poll(1.0)
            if message is None or message.error() is not None:
                continue
            envelope = decode_envelope(message.value())
            if envelope.stream_id == group_id:
                seen[envelope.event_type] = envelope
                assert message.key() == group_id.encode()
    finally:
        reader.close()
    admitted = next(
        events_pb2.MemberAdmitted.FromString(e.payload)
        for t, e in seen.items()
        if t == "membership.MemberAdmitted"
    )
    assert admitted.group.group_type == "neighbourhood_watch"
    assert (admitted.group.ward_code, admitted.group.tenant) == ("E09000033", gail.tenant)
    for envelope in seen.values():
        assert b"Fred" not in envelope.payload and b"Gail" not in envelope.payload


GROUP_TABLES = {
    "groups": "group_id",
    "group_members": "group_id, account_id",
    "group_officers": "group_id, account_id, role",
    "join_requests": "request_id",
    "approvals": "group_id, subject, account_id, side",
    "areas": "account_id",  # folded from `area:<account>` streams with the group tables
}


def snapshot(stack: Any) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in GROUP_TABLES.items()
        }


def test_projections_rebuilt_from_the_event_store_equal_the_live_ones(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    gail, fred, police = people["gail"], people["fred"], people["police"]
    group_id = found_group(api, gail, group_type="community_group")
    join(api, group_id, gail, fred)
    api.post(
        "/approvals",
        json={"group_id": group_id, "subject": "group", "side": "police"},
        headers=police.auth,
    )
    live = snapshot(stack)
    assert any(row[0] == group_id for row in live["groups"])
    env = {**os.environ, **stack.service_env("membership"), "SNP_SERVICE": "membership"}
    done = subprocess.run(
        ["snp-membership", "rebuild-projections"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "rebuilt from" in done.stdout
    assert snapshot(stack) == live


IDENTITY_TABLES = {"known_tenants": "tenant", "known_accounts": "account_id"}


def identity_snapshot(stack: Any) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            for table, order in IDENTITY_TABLES.items()
        }


def test_identity_fed_tables_rebuilt_from_kafka_equal_the_live_ones(
    stack: Any, people: dict[str, Person]
) -> None:
    live = identity_snapshot(stack)
    assert people["fred"].account_id in {row[0] for row in live["known_accounts"]}
    url = stack.service_database_url("membership")
    with ConnectionPool(url, min_size=1, max_size=2) as pool:
        projection = KnownAccountsProjection()
        applied = rebuild_from_kafka(
            pool, stack.kafka_bootstrap, projection, ["snp.identity.events"], timeout=30
        )
    assert applied > 0
    assert identity_snapshot(stack) == live


def test_a_group_can_only_be_founded_in_a_force_membership_knows(
    stack: Any, api: httpx.Client, people: dict[str, Person]
) -> None:
    fred = people["fred"]
    url = stack.service_database_url("membership")
    # As if identity's TenantRegistered had not reached membership yet.
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "DELETE FROM known_tenants WHERE tenant = %s RETURNING display_name", (fred.tenant,)
        ).fetchone()
    assert row is not None
    try:
        body = {
            "group_type": "community_group",
            "name": "Too early",
            "ward_code": "W1",
            "ward_name": "W",
        }
        refused = api.post("/groups", json=body, headers=fred.auth)
        assert refused.status_code == 409
        assert refused.json()["type"].endswith("tenant-unknown")
    finally:
        with psycopg.connect(url) as conn:
            conn.execute(
                "INSERT INTO known_tenants (tenant, display_name) VALUES (%s, %s)",
                (fred.tenant, row[0]),
            )
    assert api.post("/groups", json=body, headers=fred.auth).status_code == 201
