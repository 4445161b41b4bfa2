"""Use cases for tenants: load the tenant's stream, decide, append."""

from __future__ import annotations

from snp_identity.adapters.event_streams import IdentityStreams, tenant_stream
from snp_identity.domain import tenants
from snp_platform.eventstore import EventMetadata


def register_tenant(
    streams: IdentityStreams, slug: str, display_name: str, metadata: EventMetadata
) -> None:
    """Register a police force area. Two operators racing for one slug: one wins, the other
    gets a concurrency error (409) from the store and nothing is recorded twice."""
    stream = tenant_stream(slug)
    history, version = streams.load(stream)
    streams.append(stream, tenants.register_tenant(history, slug, display_name), version, metadata)


def tenant_exists(streams: IdentityStreams, slug: str) -> bool:
    history, _version = streams.load(tenant_stream(slug))
    return tenants.tenant_exists(history)


def tenant_name(streams: IdentityStreams, slug: str) -> str | None:
    """The registered force's display name (None: no such force; the operators' own tenant is
    not a force and has no stream)."""
    history, _version = streams.load(tenant_stream(slug))
    return tenants.display_name(history)
