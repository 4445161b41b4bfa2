"""The portal's own cost: time to first byte of the group page and the inbox for 20 signed-in
people at once, against the same REST calls made straight to the services in the same run.

Each page is a server-side render of what the services answer, plus the portal's session lookup
(one row read and touched in its database). The straight calls use each person's own token, the
same services, OPA and database, at the same concurrency. The ratio is the portal's overhead;
the issue's aim is under 30 % and a p95 under 300 ms on this machine. Knobs:
SNP_BENCH_PORTAL_USERS (default 20), SNP_BENCH_PORTAL_SECONDS (default 10 per measurement).
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from e2e.bench.ratios import Figure, Results, at_most, within_limit
from tests.integration.membership_people import (
    PASSWORD,
    identity_client,
    identity_context,
    membership_client,
    wait_for_tenant,
)
from tests.integration.portal_people import (
    Account,
    make_account,
    new_force,
    portal_client,
    sign_in,
)

AIM_OVERHEAD, AIM_P95 = 0.30, 0.300


@dataclass(frozen=True)
class Person:
    account: Account
    token: str


def _service(stack: Any, name: str) -> httpx.Client:
    http_port, _grpc = stack.ports.services[name]
    return httpx.Client(base_url=f"http://127.0.0.1:{http_port}/{name}", timeout=30)


def _people(stack: Any, count: int) -> tuple[Person, list[Person]]:
    """A coordinator and `count` neighbours of one force (setup, not measured)."""
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        tenant = new_force(ctx)
        made = [make_account(ctx, tenant, "member", f"Neighbour {i}") for i in range(count + 1)]
        people = []
        for account in made:
            body = {"tenant": tenant, "email": account.email, "password": PASSWORD}
            signed = identity.post("/sessions", json=body)
            signed.raise_for_status()
            people.append(Person(account, signed.json()["access_token"]))
    wait_for_tenant(stack, tenant)
    return people[0], people[1:]


def _group_with_a_message(stack: Any, coordinator: Person, members: list[Person]) -> str:
    """A Neighbourhood Watch with everyone in it, and one message to the group in every inbox."""
    auth = {"Authorization": f"Bearer {coordinator.token}"}
    with membership_client(stack) as membership, _service(stack, "messaging") as messaging:
        body = {
            "group_type": "neighbourhood_watch",
            "name": f"Bench Watch {uuid.uuid4().hex[:6]}",
            "ward_code": "E05000138",
            "ward_name": "Bloomsbury",
        }
        made = membership.post("/groups", json=body, headers=auth)
        made.raise_for_status()
        group_id = str(made.json()["group_id"])
        for person in members:
            mine = {"Authorization": f"Bearer {person.token}"}
            asked = membership.post(f"/groups/{group_id}/join-requests", headers=mine)
            asked.raise_for_status()
            rid = asked.json()["request_id"]
            membership.post(
                f"/groups/{group_id}/join-requests/{rid}/admit", headers=auth
            ).raise_for_status()
        message = {
            "subject": "Bench: the spring newsletter",
            "body": "The newsletter is in the group's documents.",
            "type": "general",
            "priority": "normal",
            "audience": {"type": "group", "id": group_id},
        }
        deadline = time.monotonic() + 60
        while True:  # messaging learns of the admissions from membership's events
            sent = messaging.post("/messages", json=message, headers=auth)
            if sent.status_code == 202 and sent.json()["recipients"] >= len(members) + 1:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"messaging never saw the group's members: {sent.text[:300]}")
            time.sleep(0.5)
        last = {"Authorization": f"Bearer {members[-1].token}"}
        while not messaging.get("/inbox", headers=last).json()["messages"]:
            if time.monotonic() > deadline:
                raise SystemExit("the message never reached the inbox")
            time.sleep(0.2)
    return group_id


def _timed_loop(call: Callable[[], None], seconds: float) -> list[float]:
    samples: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def _first_byte(client: httpx.Client, path: str) -> None:
    """Until the answer's status and headers are in (the page is rendered before they leave)."""
    with client.stream("GET", path) as answer:
        if answer.status_code != 200:
            raise SystemExit(f"GET {path}: {answer.status_code}")
        next(answer.iter_raw(), b"")


def _page(browser: httpx.Client, path: str) -> Callable[[], None]:
    return lambda: _first_byte(browser, path)


def _concurrently(makers: list[Callable[[], None]], seconds: float) -> list[float]:
    with ThreadPoolExecutor(len(makers)) as pool:
        done = pool.map(lambda call: _timed_loop(call, seconds), makers)
        return [sample for samples in done for sample in samples]


def _cuts(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100)
    return q[49], q[94]


def _report(
    results: Results, page: str, portal: list[float], direct: list[float], seconds: float
) -> None:
    (p50, p95), (d50, d95) = _cuts(portal), _cuts(direct)
    print(
        f"{page}: portal {len(portal) / seconds:.1f} pages/s, straight to the APIs"
        f" {len(direct) / seconds:.1f}/s"
    )
    for cut, value, straight, goal in (
        ("p50", p50, d50, within_limit(1 + AIM_OVERHEAD)),
        ("p95", p95, d95, at_most(AIM_P95 * 1000, "ms")),
    ):
        results.add(
            Figure(
                f"portal {page}, time to first byte, {cut}",
                value * 1000,
                "ms",
                straight * 1000,
                f"the same REST calls straight to the services, {cut}",
                goal,
                lower_is_better=True,
            )
        )


def run(stack: Any, results: Results) -> None:
    users = int(os.environ.get("SNP_BENCH_PORTAL_USERS", "20"))
    seconds = float(os.environ.get("SNP_BENCH_PORTAL_SECONDS", "10"))
    print(f"== portal ({users} signed-in people at once, {seconds:.0f} s each) ==")
    coordinator, members = _people(stack, users)
    group_id = _group_with_a_message(stack, coordinator, members)
    browsers = [portal_client(stack) for _ in members]
    membership, messaging = _service(stack, "membership"), _service(stack, "messaging")
    try:
        for browser, person in zip(browsers, members, strict=True):
            sign_in(browser, person.account, next_url="/inbox")

        def straight(person: Person, calls: list[tuple[httpx.Client, str]]) -> Callable[[], None]:
            auth = {"Authorization": f"Bearer {person.token}"}

            def call() -> None:
                for client, path in calls:
                    client.get(path, headers=auth).raise_for_status()

            return call

        pages = {
            "inbox": ("/inbox", [(messaging, "/inbox?limit=25")]),
            "group page": (
                f"/groups/{group_id}",
                # What the overview asks membership for: the group, my standing, its officers.
                [
                    (membership, f"/groups/{group_id}"),
                    (membership, "/me/groups"),
                    (membership, f"/groups/{group_id}/officers"),
                ],
            ),
        }
        for page, (path, calls) in pages.items():
            portal = _concurrently([_page(browser, path) for browser in browsers], seconds)
            direct = _concurrently([straight(person, calls) for person in members], seconds)
            _report(results, page, portal, direct, seconds)
    finally:
        for browser in browsers:
            browser.close()
        membership.close()
        messaging.close()
