"""What everyone in the joining journey knows before it starts: the portal's address, the force,
the coordinator's account (made through identity's own code, as portal_people does), who the
neighbour will say they are, the document the coordinator will upload, and how the people
hand things on to each other."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from e2e.people_at_once import Handoff
from snp_stack.stack import repo_root
from tests.integration.membership_people import membership_client
from tests.integration.portal_account_world import messaging_client
from tests.integration.portal_people import Account

SHOTS = repo_root() / ".artifacts" / "screenshots" / "e2e"


@dataclass(frozen=True)
class Neighbour:
    name: str
    email: str
    password: str


@dataclass
class Journey:
    stack: Any
    base: str  # the portal
    tenant: str
    force_name: str
    coordinator: Account
    coordinator_token: str  # for checking what the services say, never for acting
    group_name: str
    neighbour: Neighbour
    document: Path
    handoff: Handoff = field(default_factory=Handoff)

    def membership(self) -> httpx.Client:
        client = membership_client(self.stack)
        client.headers["Authorization"] = f"Bearer {self.coordinator_token}"
        return client

    def messaging(self) -> httpx.Client:
        return messaging_client(self.stack, self.coordinator_token)


def a_neighbour() -> Neighbour:
    run = uuid.uuid4().hex[:6]
    return Neighbour("Nia Neighbour", f"nia-{run}@residents.example", "quiet harbour maple 58")


def newsletter(folder: Path) -> Path:
    """A small PDF whose bytes are this run's own, so a stale download could not pass."""
    path = folder / "spring-newsletter.pdf"
    path.write_bytes(b"%PDF-1.7\n%spring newsletter\n" + uuid.uuid4().hex.encode() + b"\n%%EOF\n")
    return path
