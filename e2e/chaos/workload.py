"""The chaos run's steady mixed workload: sign-ins, joins and admissions, document uploads and
downloads, group messages (fanned out to every member), police alerts and audit reads, at a
fixed rate from a few threads. Every answer is written down with its time, so the checks can
tell an answer inside an outage window from one outside it."""

from __future__ import annotations

import itertools
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from e2e.load.people import Person, World
from e2e.seed_members import PASSWORD

CLIENT_TIMEOUT_SECONDS = 10.0
PDF = b"%PDF-1.7\n%chaos run\n"


@dataclass(frozen=True)
class Answer:
    """One request: when it started and ended (monotonic), what it was, and what came back
    (`status` 0: no answer at all, with the reason in `error`)."""

    started: float
    ended: float
    operation: str
    status: int
    retry_after: bool
    error: str = ""


@dataclass
class Effects:
    """What the run asked for and was told was done, to hold the platform to it afterwards."""

    admitted: set[tuple[str, str]] = field(default_factory=set)  # (group, account) answered 2xx
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # id: (uploader, bytes)
    downloads_wrong: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # message ids answered 202


class Workload:
    """`rate` operations a second, spread over `threads` threads, until `stop()`."""

    def __init__(self, world: World, rate: float, threads: int = 4, seed: int = 7) -> None:
        self.world, self.rate, self.threads = world, rate, threads
        self.answers: list[Answer] = []
        self.effects = Effects()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        # Each resident asks to join each other group at most once, in a shuffled order.
        pairs = [(r, g) for r in world.residents for g in world.groups if g != r.group_id]
        self._rng.shuffle(pairs)
        self._joins = iter(pairs)
        self._coordinator_of = {c.group_id: c for c in world.coordinators}
        self._counter = itertools.count()
        self._workers: list[threading.Thread] = []

    def start(self) -> None:
        for i in range(self.threads):
            worker = threading.Thread(target=self._run, name=f"chaos-load-{i}", daemon=True)
            worker.start()
            self._workers.append(worker)

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(CLIENT_TIMEOUT_SECONDS * 3)

    def _run(self) -> None:
        interval = self.threads / self.rate
        with httpx.Client(timeout=CLIENT_TIMEOUT_SECONDS) as client:
            next_at = time.monotonic()
            while not self._stop.is_set():
                with self._lock:
                    operation = self._rng.choices(OPERATIONS, weights=WEIGHTS)[0]
                operation(self, client)
                next_at += interval
                self._stop.wait(max(0.0, next_at - time.monotonic()))

    def call(
        self, client: httpx.Client, name: str, method: str, url: str, **kwargs: object
    ) -> httpx.Response | None:
        started = time.monotonic()
        try:
            answer = client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            self._record(Answer(started, time.monotonic(), name, 0, False, "timeout"))
            return None
        except httpx.TransportError as error:
            self._record(Answer(started, time.monotonic(), name, 0, False, type(error).__name__))
            return None
        retry = "retry-after" in answer.headers
        self._record(Answer(started, time.monotonic(), name, answer.status_code, retry))
        return answer

    def _record(self, answer: Answer) -> None:
        with self._lock:
            self.answers.append(answer)

    def url(self, service: str, path: str) -> str:
        return f"{self.world.urls[service]}/{service}{path}"

    def pick(self, people: list[Person]) -> Person:
        with self._lock:
            return self._rng.choice(people)

    def next_join(self) -> tuple[Person, str] | None:
        with self._lock:
            return next(self._joins, None)

    def coordinator_of(self, group: str) -> Person:
        return self._coordinator_of[group]

    def serial(self) -> int:
        return next(self._counter)


def _auth(person: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {person.token}"}


def sign_in(load: Workload, client: httpx.Client) -> None:
    who = load.pick(load.world.residents)
    body = {"tenant": load.world.tenant, "email": who.email, "password": PASSWORD}
    load.call(client, "sign in", "POST", load.url("identity", "/sessions"), json=body)


def join_and_admit(load: Workload, client: httpx.Client) -> None:
    chosen = load.next_join()
    if chosen is None:
        return
    resident, group = chosen
    path = f"/groups/{group}/join-requests"
    asked = load.call(
        client, "ask to join", "POST", load.url("membership", path), headers=_auth(resident)
    )
    if asked is None or asked.status_code != 201:
        return
    coordinator = load.coordinator_of(group)
    admit = f"{path}/{asked.json()['request_id']}/admit"
    for _ in range(20):  # the request reaches the coordinator's view a moment later
        done = load.call(
            client, "admit", "POST", load.url("membership", admit), headers=_auth(coordinator)
        )
        if done is not None and done.is_success:
            with load._lock:
                load.effects.admitted.add((group, resident.account_id))
            return
        if done is not None and done.status_code not in (404, 409, 503):
            return
        time.sleep(0.5)


def upload_and_download(load: Workload, client: httpx.Client) -> None:
    coordinator = load.pick(load.world.coordinators)
    data = PDF + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
    made = load.call(
        client,
        "upload a document",
        "POST",
        load.url("documents", f"/groups/{coordinator.group_id}/documents"),
        headers=_auth(coordinator),
        data={"title": f"Rota {load.serial()}", "audience": "members"},
        files={"file": ("rota.pdf", data, "application/pdf")},
    )
    if made is None or made.status_code != 201:
        return
    document = str(made.json()["id"])
    with load._lock:
        load.effects.uploads[document] = (coordinator.account_id, data)
    got = load.call(
        client,
        "download a document",
        "GET",
        load.url("documents", f"/documents/{document}/content"),
        headers=_auth(coordinator),
    )
    if got is not None and got.is_success and got.content != data:
        with load._lock:
            load.effects.downloads_wrong.append(document)


def _send(
    load: Workload, client: httpx.Client, name: str, who: Person, body: Mapping[str, object]
) -> None:
    sent = load.call(
        client, name, "POST", load.url("messaging", "/messages"), headers=_auth(who), json=body
    )
    if sent is not None and sent.status_code == 202:
        with load._lock:
            load.effects.messages.append(str(sent.json()["id"]))


def message_the_group(load: Workload, client: httpx.Client) -> None:
    coordinator = load.pick(load.world.coordinators)
    body = {
        "subject": f"Chaos run: bins on Tuesday ({load.serial()})",
        "body": "A reminder from your coordinator.",
        "type": "general",
        "priority": "normal",
        "audience": {"type": "group", "id": coordinator.group_id},
    }
    _send(load, client, "message a group", coordinator, body)


def police_alert(load: Workload, client: httpx.Client) -> None:
    officer = load.pick(load.world.police)
    body = {
        "subject": f"Chaos run: sheds broken into ({load.serial()})",
        "body": "Lock sheds and garages tonight.",
        "type": "alert",
        "priority": "high",
        "audience": {"type": "tenant"},
    }
    _send(load, client, "police alert", officer, body)


def read_the_audit_log(load: Workload, client: httpx.Client) -> None:
    auditor = load.pick(load.world.auditors)
    load.call(
        client,
        "audit log page",
        "GET",
        load.url("audit", "/events?limit=50"),
        headers=_auth(auditor),
    )


def read_members(load: Workload, client: httpx.Client) -> None:
    officer = load.pick(load.world.police)
    group = load.pick(load.world.coordinators).group_id
    path = f"/groups/{group}/members"
    load.call(client, "group members", "GET", load.url("membership", path), headers=_auth(officer))


Operation = Callable[[Workload, httpx.Client], None]
OPERATIONS: list[Operation] = [
    sign_in,
    join_and_admit,
    upload_and_download,
    message_the_group,
    police_alert,
    read_the_audit_log,
    read_members,
]
WEIGHTS = [3, 3, 2, 2, 1, 2, 3]
