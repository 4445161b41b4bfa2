"""What identity's use cases share: the database, the key material and the clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from psycopg_pool import ConnectionPool

from snp_identity.adapters.crypto import KeyWrapper, decrypt_field, encrypt_field
from snp_identity.adapters.event_streams import IdentityStreams
from snp_identity.adapters.passwords import PasswordHasher
from snp_identity.domain.accounts import LedGroup
from snp_platform.eventstore import EventStore


class InvalidInput(Exception):
    """Input that breaks a rule the caller can fix (422), with one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class NotFound(Exception):
    """No such account in the caller's tenant (404, which also hides other tenants)."""


class Leadership(Protocol):
    """Who leads which group: membership's to know, asked before an account erases itself."""

    def groups_led_alone(self, tenant: str, account_id: str) -> list[LedGroup]: ...


class LeadershipUnknown(Exception):
    """Membership could not say which groups the account leads (503: try again later)."""


@dataclass
class IdentityContext:
    """Wiring for the use cases; built once per process by the entrypoint."""

    pool: ConnectionPool[Any]
    keks: KeyWrapper
    index_key: bytes
    issuer: str
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    access_lifetime: int = 900
    refresh_lifetime: int = 14 * 24 * 3600
    clock: Callable[[], float] = time.time
    # None where identity has no service key to call membership: a self-erasure then waits.
    leadership: Leadership | None = None

    @property
    def streams(self) -> IdentityStreams:
        return IdentityStreams(EventStore(self.pool), disclosures=True)


def field_aad(tenant: str, account_id: str, name: str) -> bytes:
    """Binds a ciphertext to its account and field, so it cannot be moved to another."""
    return f"snp-identity/{tenant}/{account_id}/{name}".encode()


def seal(data_key: bytes, tenant: str, account_id: str, name: str, value: str) -> bytes:
    return encrypt_field(data_key, value, field_aad(tenant, account_id, name)) if value else b""


def unseal(data_key: bytes, tenant: str, account_id: str, name: str, blob: bytes) -> str:
    return decrypt_field(data_key, blob, field_aad(tenant, account_id, name)) if blob else ""
