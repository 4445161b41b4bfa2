"""The tenant aggregate: a police force area, registered once by an operator."""

from __future__ import annotations

import re
from collections.abc import Iterable

from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb

# Slugs go into URLs, topics' headers and every record: keep them plain and short.
SLUG = re.compile(r"[a-z][a-z0-9-]{1,48}[a-z0-9]")
OPERATORS_TENANT = "platform"  # operators belong to no police force
RESERVED = frozenset({OPERATORS_TENANT})


class TenantRuleBroken(Exception):
    """A tenant command that cannot be carried out."""


def tenant_exists(events: Iterable[Message]) -> bool:
    return any(isinstance(e, pb.TenantRegistered) for e in events)


def display_name(events: Iterable[Message]) -> str | None:
    """The force's name as people know it, or None for a slug never registered."""
    for event in events:
        if isinstance(event, pb.TenantRegistered):
            return str(event.display_name)
    return None


def register_tenant(existing: Iterable[Message], slug: str, display_name: str) -> list[Message]:
    """Register a tenant once; the slug is its permanent identity."""
    if not SLUG.fullmatch(slug):
        raise TenantRuleBroken(
            "a tenant slug is 3-50 lowercase letters, digits and dashes, starting with a letter"
        )
    if slug in RESERVED:
        raise TenantRuleBroken(f"the slug {slug!r} is reserved")
    if not display_name.strip() or len(display_name) > 200:
        raise TenantRuleBroken("a tenant needs a display name of at most 200 characters")
    if tenant_exists(existing):
        raise TenantRuleBroken(f"tenant {slug!r} is already registered")
    return [pb.TenantRegistered(slug=slug, display_name=display_name.strip())]
