"""Projection rebuilds over each service's ops routes, against the real stack: every service
lists its projections; only an operator may list or rebuild (the policy decides); a second
start while one runs is 409; a rebuild started while events arrive ends equal to a fresh
projection (the consumer waits on the projection's lock instead of interleaving); a stopped
rebuild shows as interrupted; a failed one says why (in words with no row in them) and leaves
the projection as it was; and reactions never run again (no mail sent twice)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from confluent_kafka import Producer
from google.protobuf.timestamp_pb2 import Timestamp
from psycopg import sql

from snp.identity.v1 import events_pb2 as identity_pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_identity.service_layer.context import IdentityContext
from snp_platform.envelope import new_event_id
from snp_platform.topics import events_topic
from tests.integration.kafka_helpers import wait_until
from tests.integration.membership_people import identity_context
from tests.integration.messaging_helpers import mails_to
from tests.integration.ops_helpers import RECIPIENTS, api_token, service_api
from tests.integration.portal_people import make_account, new_force
from tests.integration.security_helpers import forget_address_throttles, identity_api

pytestmark = pytest.mark.integration
EXPECTED = {
    "identity": [],
    "membership": ["membership-groups", "membership.known-accounts", "token-revocations"],
    "documents": ["documents.group-roles-projection", "token-revocations"],
    "messaging": [
        RECIPIENTS,
        "token-revocations",
        "messaging.engagement-events",
        "messaging.mailing-lists",
    ],
    "audit": ["token-revocations"],
}


@pytest.fixture(scope="module")
def ctx(stack: Any) -> Iterator[IdentityContext]:
    with identity_context(stack) as context:
        yield context


@pytest.fixture(scope="module")
def operator(stack: Any, ctx: IdentityContext) -> dict[str, str]:
    return api_token(stack, make_account(ctx, "platform", "operator", "Council IT"))


def rebuild(stack: Any, service: str, name: str, auth: dict[str, str]) -> dict[str, Any]:
    """Start a rebuild and follow it to its end; the projection's last report."""
    with service_api(stack, service) as api:
        started = api.post(f"/ops/projections/{name}/rebuild", headers=auth)
        assert started.status_code == 202, started.text
        assert started.headers["location"].endswith(f"/{service}/ops/projections/{name}")
        rebuild_id = started.json()["rebuild"]
        report: dict[str, Any] = {}

        def ended() -> bool:
            report.update(api.get(f"/ops/projections/{name}", headers=auth).json())
            last = report["last_rebuild"]
            return bool(last) and last["id"] == rebuild_id and last["state"] != "running"

        wait_until(ended, 120, f"the rebuild of {name} ending")
    return report


def test_each_service_lists_its_projections(stack: Any, operator: dict[str, str]) -> None:
    for service, names in EXPECTED.items():
        with service_api(stack, service) as api:
            listed = api.get("/ops/projections", headers=operator)
        assert listed.status_code == 200, listed.text
        projections = listed.json()["projections"]
        assert [p["name"] for p in projections] == names, service
        for projection in projections:
            assert projection["state"] in ("live", "rebuilding")
            assert isinstance(projection["applied"], int) and projection["source"]


def _rebuild_rows(stack: Any, service: str) -> int:
    with psycopg.connect(stack.service_database_url(service)) as conn:
        row = conn.execute("SELECT count(*) FROM projection_rebuilds").fetchone()
    return int(row[0]) if row else 0


def test_only_an_operator_may_list_or_rebuild(
    stack: Any, ctx: IdentityContext, operator: dict[str, str]
) -> None:
    force = new_force(ctx)
    before = _rebuild_rows(stack, "messaging")
    with service_api(stack, "messaging") as api:
        for kind in ("police", "tenant_admin", "auditor", "member"):
            auth = api_token(stack, make_account(ctx, force, kind, f"A {kind}"))
            listed = api.get("/ops/projections", headers=auth)
            assert listed.status_code == 403, (kind, listed.text)
            started = api.post(f"/ops/projections/{RECIPIENTS}/rebuild", headers=auth)
            assert started.status_code == 403, (kind, started.text)
            assert started.headers["content-type"].startswith("application/problem+json")
        unknown = api.post("/ops/projections/no-such-thing/rebuild", headers=operator)
        assert unknown.status_code == 404
    assert _rebuild_rows(stack, "messaging") == before  # nothing was started


def test_a_second_start_while_one_runs_is_refused_and_a_stopped_one_shows_interrupted(
    stack: Any, operator: dict[str, str]
) -> None:
    # A rebuild in another replica: its claim held, its row running.
    with psycopg.connect(stack.service_database_url("messaging"), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(hashtextextended(%s, 14))", (RECIPIENTS,))
        other.execute(
            "INSERT INTO projection_rebuilds (rebuild_id, projection, state) "
            "VALUES (%s, %s, 'running')",
            (str(uuid.uuid4()), RECIPIENTS),
        )
        with service_api(stack, "messaging") as api:
            refused = api.post(f"/ops/projections/{RECIPIENTS}/rebuild", headers=operator)
            assert refused.status_code == 409, refused.text
            assert refused.json()["type"] == "urn:snp:problem:rebuild-running"
            running = api.get(f"/ops/projections/{RECIPIENTS}", headers=operator).json()
            assert running["state"] == "rebuilding"
            assert running["last_rebuild"]["state"] == "running"
        other.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 14))", (RECIPIENTS,))
        with service_api(stack, "messaging") as api:
            stopped = api.get(f"/ops/projections/{RECIPIENTS}", headers=operator).json()
        assert stopped["state"] == "live"
        assert stopped["last_rebuild"]["state"] == "interrupted"
    # The next rebuild may start, and closes the interrupted row.
    report = rebuild(stack, "messaging", RECIPIENTS, operator)
    assert report["last_rebuild"]["state"] == "finished"
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        left = conn.execute(
            "SELECT count(*) FROM projection_rebuilds WHERE state = 'running'"
        ).fetchone()
    assert left == (0,)


def _renamings(slugs: list[str], names: list[str]) -> Iterator[EventEnvelope]:
    """identity.TenantRegistered again and again for the same forces: messaging keeps the last
    name it applied, so applying an older event after a newer one leaves the wrong name."""
    for name in names:
        for slug in slugs:
            at = Timestamp()
            at.GetCurrentTime()
            payload = identity_pb.TenantRegistered(slug=slug, display_name=f"{slug} {name}")
            yield EventEnvelope(
                event_id=new_event_id(),
                event_type="identity.TenantRegistered",
                schema_version=1,
                tenant=slug,
                stream_id=f"tenant:{slug}",
                stream_version=1,
                occurred_at=at,
                actor="service:test",
                payload=payload.SerializeToString(),
                source_service="identity",
            )


def _publish(producer: Producer, envelopes: Iterator[EventEnvelope]) -> None:
    for envelope in envelopes:
        producer.produce(
            events_topic("identity"),
            key=envelope.stream_id.encode(),
            value=envelope.SerializeToString(),
        )
        producer.poll(0)
    producer.flush(30)


def _forces(stack: Any, slugs: list[str]) -> dict[str, str]:
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        rows = conn.execute(
            "SELECT tenant, display_name FROM forces WHERE tenant = ANY(%s)", (slugs,)
        ).fetchall()
    return dict(rows)


def _recipients_state(stack: Any) -> dict[str, list[str]]:
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        return {
            table: sorted(map(repr, conn.execute(f"SELECT * FROM {table}").fetchall()))
            for table in ("groups", "group_roles", "forces")
        }


def test_a_rebuild_while_events_arrive_ends_as_a_fresh_projection(
    stack: Any, operator: dict[str, str]
) -> None:
    producer = Producer({"bootstrap.servers": stack.kafka_bootstrap, "linger.ms": 5})
    old = [f"rb-{uuid.uuid4().hex[:8]}-{i}" for i in range(10)]
    _publish(producer, _renamings(old, [f"v{n}" for n in range(400)]))  # a rebuild's worth
    wait_until(lambda: _forces(stack, old) == {s: f"{s} v399" for s in old}, 180, "the history")

    new = [f"rb-{uuid.uuid4().hex[:8]}-{i}" for i in range(10)]
    # The consumer is busy with these when the rebuild starts (it is behind, as in life) ...
    _publish(producer, _renamings(new + old, [f"w{n}" for n in range(50)]))
    with service_api(stack, "messaging") as api:
        started = api.post(f"/ops/projections/{RECIPIENTS}/rebuild", headers=operator)
        assert started.status_code == 202, started.text
        rebuild_id = started.json()["rebuild"]
        # ... and the last names arrive while it runs: they must win, whoever applies them.
        _publish(producer, _renamings(new + old, ["final"]))
        during = api.get(f"/ops/projections/{RECIPIENTS}", headers=operator).json()
        assert during["last_rebuild"]["id"] == rebuild_id
        assert during["last_rebuild"]["state"] == "running", "too quick to prove anything"
        report: dict[str, Any] = {}

        def ended() -> bool:
            report.update(api.get(f"/ops/projections/{RECIPIENTS}", headers=operator).json())
            return bool(report["last_rebuild"]["state"] != "running")

        wait_until(ended, 180, "the rebuild ending")
    last = report["last_rebuild"]
    assert last["state"] == "finished", last
    assert last["total"] > 4000 and last["read"] == last["total"]
    assert last["finished_at"] >= last["started_at"]
    every = new + old
    wait_until(
        lambda: _forces(stack, every) == {s: f"{s} final" for s in every},
        120,
        "the consumer applying the last names after the rebuild",
    )
    rebuilt = _recipients_state(stack)
    fresh = rebuild(stack, "messaging", RECIPIENTS, operator)  # nothing arriving now
    assert fresh["last_rebuild"]["state"] == "finished"
    assert _recipients_state(stack) == rebuilt


def _recipients_applied(stack: Any) -> Any:
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        return conn.execute(
            "SELECT count(*) FROM processed_events WHERE consumer = %s", (RECIPIENTS,)
        ).fetchone()


def test_a_failed_rebuild_says_why_and_leaves_the_projection_as_it_was(
    stack: Any, ctx: IdentityContext, operator: dict[str, str]
) -> None:
    force = new_force(ctx)
    wait_until(lambda: force in _forces(stack, [force]), 60, "messaging knowing the force")
    # A fault part-way through: the rebuild empties the tables, applies events, then meets this
    # force again and the database refuses it. Its detail names a row; the reason must not.
    trigger = sql.Identifier(f"refuse_{uuid.uuid4().hex[:8]}")
    with psycopg.connect(stack.service_database_url("messaging"), autocommit=True) as admin:
        admin.execute(
            sql.SQL(
                "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                " RAISE EXCEPTION 'injected failure' USING DETAIL = 'row ' || NEW.tenant;"
                " END $$"
            ).format(name=trigger)
        )
        admin.execute(
            sql.SQL(
                "CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON forces FOR EACH ROW"
                " WHEN (NEW.tenant = {force}) EXECUTE FUNCTION {name}()"
            ).format(name=trigger, force=sql.Literal(force))
        )
        try:
            before, applied = _recipients_state(stack), _recipients_applied(stack)
            report = rebuild(stack, "messaging", RECIPIENTS, operator)
            after, applied_after = _recipients_state(stack), _recipients_applied(stack)
        finally:
            admin.execute(sql.SQL("DROP TRIGGER {name} ON forces").format(name=trigger))
            admin.execute(sql.SQL("DROP FUNCTION {name}()").format(name=trigger))
    last = report["last_rebuild"]
    assert last["state"] == "failed", last
    assert last["reason"].startswith("RaiseException: injected failure"), last["reason"]
    assert force not in last["reason"]  # the database's detail quotes the row: never shown
    assert last["finished_at"] >= last["started_at"]
    assert report["state"] == "live"
    assert (after, applied_after) == (before, applied)  # rolled back, the old rows kept
    # The claim was let go: the next rebuild starts and ends well.
    assert rebuild(stack, "messaging", RECIPIENTS, operator)["last_rebuild"]["state"] == "finished"
    assert force in _forces(stack, [force])


def _deliveries(stack: Any) -> Any:
    with psycopg.connect(stack.service_database_url("messaging")) as conn:
        return conn.execute("SELECT count(*) FROM deliveries").fetchone()


def test_reactions_never_run_during_a_rebuild_so_no_mail_is_sent_twice(
    stack: Any, ctx: IdentityContext, operator: dict[str, str]
) -> None:
    forget_address_throttles(stack)
    tenant = new_force(ctx)
    member = make_account(ctx, tenant, "member", "Rene Rebuild")
    with identity_api(stack) as api:
        asked = api.post("/password-resets", json={"tenant": tenant, "email": member.email})
        assert asked.status_code == 202
    wait_until(lambda: bool(mails_to(stack.maildir, member.email)), what="the reset mail")
    deliveries = _deliveries(stack)
    for name in (RECIPIENTS, "token-revocations"):
        assert rebuild(stack, "messaging", name, operator)["last_rebuild"]["state"] == "finished"
    time.sleep(3)  # a mail sent again would have arrived by now
    assert len(mails_to(stack.maildir, member.email)) == 1
    assert _deliveries(stack) == deliveries
