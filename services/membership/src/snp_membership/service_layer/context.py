"""What membership's handlers work with, wired once per process by the entrypoints."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from snp_membership.adapters.association_contacts import (
    AssociationContacts,
    NoAssociationContacts,
)
from snp_platform.directory import DisplayNames
from snp_platform.eventstore.typed import TypedStreams
from snp_platform.opa import OpaClient


class NotFound(Exception):
    """No such group, request or account here (HTTP 404)."""


class TenantUnknown(Exception):
    """Identity has not (yet) told membership about this tenant (HTTP 409, retry later)."""


@dataclass
class MembershipContext:
    """`streams`: membership's TypedStreams (adapters/event_streams.membership_streams), which
    applies every recorded event to the group tables in the append's transaction;
    `contacts`: identity's directory for the association's export (contacts of those who
    agreed)."""

    pool: ConnectionPool[Any]
    streams: TypedStreams
    opa: OpaClient
    directory: DisplayNames
    contacts: AssociationContacts = field(default_factory=NoAssociationContacts)

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        with self.pool.connection() as conn:
            yield conn
