"""The mixed profile, run by Locust (headless) against a stack made by `python -m e2e.load`:
residents, group coordinators, police officers and auditors doing what each does most, and a
step shape that adds users a step at a time, measures each step afresh, and stops once a step's
p95 passed the limit (or a tenth of its requests failed). Settings come from the environment
the driver sets (SNP_LOAD_*)."""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, LoadTestShape, between, task

from e2e.load.people import Person, World

WORLD = World.load(Path(os.environ["SNP_LOAD_WORLD"]))
STEPS_FILE = Path(os.environ["SNP_LOAD_STEPS"])
STEP_SECONDS = float(os.environ.get("SNP_LOAD_STEP_SECONDS", "30"))
STEP_USERS = int(os.environ.get("SNP_LOAD_STEP_USERS", "10"))
MAX_USERS = int(os.environ.get("SNP_LOAD_MAX_USERS", "200"))
P95_LIMIT_MS = float(os.environ.get("SNP_LOAD_P95_MS", "500"))
# A step where this share of requests failed ends the ramp too: more load would only hide why.
FAILED_SHARE_LIMIT = 0.10

# Each Locust user takes the next person of its kind (all users share one gevent process).
_NEXT = {kind: itertools.count() for kind in ("residents", "coordinators", "police", "auditors")}


def _take(kind: str) -> Person:
    people: list[Person] = getattr(WORLD, kind)
    return people[next(_NEXT[kind]) % len(people)]


class Signed(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # a person reads what they asked for before asking again
    host = WORLD.urls["identity"]  # Locust wants one; every request names its service's URL
    kind = ""
    person: Person

    def on_start(self) -> None:
        self.person = _take(self.kind)

    def call(self, method: str, url: str, name: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.person.token}"}
        return self.client.request(method, url, name=name, headers=headers, **kwargs)

    def url(self, service: str, path: str) -> str:
        return f"{WORLD.urls[service]}/{service}{path}"


class Resident(Signed):
    weight = 70
    kind = "residents"

    @task(3)
    def public_groups(self) -> None:
        self.client.get(
            self.url("membership", f"/public/{WORLD.tenant}/groups"), name="public group list"
        )

    @task(2)
    def my_groups(self) -> None:
        self.call("GET", self.url("membership", "/me/groups"), "my groups")

    @task(3)
    def inbox(self) -> None:
        answer = self.call("GET", self.url("messaging", "/inbox"), "inbox")
        messages = answer.json().get("messages", []) if answer.ok else []
        if messages:
            chosen = random.choice(messages)["id"]
            self.call("GET", self.url("messaging", f"/inbox/{chosen}"), "inbox message")

    @task(1)
    def preferences(self) -> None:
        self.call("GET", self.url("messaging", "/preferences"), "preferences")

    @task(1)
    def ask_to_join(self) -> None:
        group = random.choice(WORLD.groups)
        path = f"/groups/{group}/join-requests"
        with self.call(
            "POST", self.url("membership", path), "ask to join", catch_response=True
        ) as answer:
            if answer.status_code == 409:  # asked before, or a member already: an answer
                answer.success()

    @task(1)
    def sign_in(self) -> None:
        body = {
            "tenant": WORLD.tenant,
            "email": self.person.email,
            "password": os.environ["SNP_LOAD_PASSWORD"],
        }
        self.client.post(self.url("identity", "/sessions"), json=body, name="sign in")


class Coordinator(Signed):
    weight = 15
    kind = "coordinators"

    @task(3)
    def admit_waiting(self) -> None:
        path = f"/groups/{self.person.group_id}/join-requests"
        answer = self.call("GET", self.url("membership", path), "waiting join requests")
        waiting = answer.json().get("requests", []) if answer.ok else []
        if waiting:
            request_id = waiting[0]["request_id"]
            admit = f"{path}/{request_id}/admit"
            with self.call(
                "POST", self.url("membership", admit), "admit", catch_response=True
            ) as admitted:
                if admitted.status_code == 409:  # another coordinator's user admitted it first
                    admitted.success()

    @task(2)
    def members(self) -> None:
        path = f"/groups/{self.person.group_id}/members"
        self.call("GET", self.url("membership", path), "group members")

    @task(1)
    def message_the_group(self) -> None:
        body = {
            "subject": "Load test: the bins go out on Tuesday",
            "body": "A reminder from your coordinator.",
            "type": "general",
            "priority": "normal",
            "audience": {"type": "group", "id": self.person.group_id},
        }
        self.call("POST", self.url("messaging", "/messages"), "message a group", json=body)


class Police(Signed):
    weight = 10
    kind = "police"

    @task(3)
    def force_groups(self) -> None:
        self.call("GET", self.url("membership", "/groups"), "police group list")

    @task(2)
    def group_members(self) -> None:
        path = f"/groups/{random.choice(WORLD.groups)}/members"
        self.call("GET", self.url("membership", path), "group members")

    @task(1)
    def alerts(self) -> None:
        self.call("GET", self.url("messaging", "/alerts"), "sent alerts")


class Auditor(Signed):
    weight = 5
    kind = "auditors"

    @task(3)
    def audit_log(self) -> None:
        self.call("GET", self.url("audit", "/events?limit=50"), "audit log page")

    @task(1)
    def latest_checkpoint(self) -> None:
        self.call("GET", self.url("audit", "/checkpoints/latest"), "latest checkpoint")


def _figures(entry: Any, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "p50_ms": entry.get_response_time_percentile(0.5) if entry.num_requests else 0,
        "p95_ms": entry.get_response_time_percentile(0.95) if entry.num_requests else 0,
        "p99_ms": entry.get_response_time_percentile(0.99) if entry.num_requests else 0,
    }


class StepsUntilTheKnee(LoadTestShape):
    """STEP_USERS more users every STEP_SECONDS; each step's figures are written down and the
    statistics started afresh at its end; the run ends after the first step over the limit."""

    def __init__(self) -> None:
        super().__init__()
        self.step = 0
        self.steps: list[dict[str, Any]] = []

    def tick(self) -> tuple[int, float] | None:
        step = int(self.get_run_time() // STEP_SECONDS)
        if step > self.step:
            over = self._close_step()
            self.step = step
            if over or self._users(step) > MAX_USERS:
                return None
        return self._users(step), float(STEP_USERS)

    @staticmethod
    def _users(step: int) -> int:
        return STEP_USERS * (step + 1)

    def _close_step(self) -> bool:
        assert self.runner is not None
        stats = self.runner.stats
        self.steps.append(
            {
                "users": self.runner.user_count,
                "seconds": STEP_SECONDS,
                "endpoints": [_figures(e, name) for (name, _method), e in stats.entries.items()],
                "total": _figures(stats.total, "all requests"),
            }
        )
        STEPS_FILE.write_text(json.dumps(self.steps))
        stats.reset_all()
        total = self.steps[-1]["total"]
        failed_share = total["failures"] / max(total["requests"], 1)
        return bool(total["p95_ms"] > P95_LIMIT_MS or failed_share > FAILED_SHARE_LIMIT)
