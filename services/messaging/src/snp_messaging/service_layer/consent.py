"""Consent per information provider: a member's choices (part of their preferences, each
change an event on their recipient stream, readable later as their history) and the force's
defaults for members who never chose (tenant administrators set them)."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import consent_rows as stored
from snp_messaging.adapters import event_streams
from snp_messaging.domain.events import event_type
from snp_messaging.domain.messages import MessageRuleBroken
from snp_messaging.domain.providers import (
    changed_choices,
    check_choices,
    check_defaults,
    default_on,
)
from snp_messaging.service_layer.context import InvalidInput, MessagingContext
from snp_platform.authz import authorize
from snp_platform.eventstore import ANY_VERSION, EventMetadata
from snp_platform.tokens import Principal

Conn = psycopg.Connection[Any]
_CONSENT = event_type(pb.ProviderConsentChanged())


def member_providers(conn: Conn, tenant: str, account_id: str) -> list[dict[str, Any]]:
    """Each provider of the force with the member's choice, the default shown until they
    choose (`chosen` says which it is)."""
    defaults = stored.force_defaults(conn, tenant)
    choices = stored.member_choices(conn, tenant, account_id)
    return [
        {
            "id": p.id,
            "name": p.name,
            "kind": p.kind,
            "on": choices.get(p.id, default_on(p, defaults)),
            "chosen": p.id in choices,
            "default_on": default_on(p, defaults),
        }
        for p in stored.force_providers(conn, tenant).values()
    ]


def consent_changes(
    conn: Conn, tenant: str, account_id: str, wanted: list[tuple[str, bool]]
) -> list[pb.ProviderConsentChanged]:
    """One event per provider whose choice the member changes (InvalidInput for an unknown
    provider or one listed twice): appended by the caller with the preferences."""
    providers = stored.force_providers(conn, tenant)
    try:
        choices = check_choices(wanted, providers)
    except MessageRuleBroken as broken:
        raise InvalidInput(broken.problems) from broken
    current = stored.member_choices(conn, tenant, account_id)
    return [
        pb.ProviderConsentChanged(
            account_id=account_id,
            provider=pb.Provider(id=p.id, name=p.name, kind=p.kind),
            on=on,
        )
        for p, on in changed_choices(current, choices, providers)
    ]


def history(ctx: MessagingContext, principal: Principal) -> list[dict[str, Any]]:
    """The caller's own consent changes, newest first, from their events (what they chose,
    about whom, when): what their disclosures page shows beside the releases."""
    resource = {
        "type": "consent_history",
        "id": principal.account_id,
        "tenant": principal.tenant,
        "owner": principal.account_id,
    }
    authorize(ctx.opa, principal, "messaging.consent_history.read", resource)
    stream = event_streams.recipient_stream(principal.tenant, principal.account_id)
    changes = []
    for recorded in ctx.streams.store.load(stream):
        if recorded.event_type != _CONSENT:
            continue
        changed = pb.ProviderConsentChanged.FromString(recorded.payload)
        changes.append(
            {
                "provider": {
                    "id": changed.provider.id,
                    "name": changed.provider.name,
                    "kind": changed.provider.kind,
                },
                "on": changed.on,
                "changed_at": recorded.occurred_at.isoformat(),
                "service": "messaging",
            }
        )
    return changes[::-1]


def _force_resource(principal: Principal) -> dict[str, Any]:
    return {"type": "provider_defaults", "id": principal.tenant, "tenant": principal.tenant}


def force_defaults(ctx: MessagingContext, principal: Principal) -> list[dict[str, Any]]:
    """The force's providers, each on or off for members who never chose (`set_by_force`:
    the force decided it; else its kind's platform default)."""
    authorize(ctx.opa, principal, "messaging.provider_defaults.manage", _force_resource(principal))
    with ctx.pool.connection() as conn:
        return _defaults_shown(conn, principal.tenant)


def _defaults_shown(conn: Conn, tenant: str) -> list[dict[str, Any]]:
    decided = stored.force_defaults(conn, tenant)
    return [
        {
            "id": p.id,
            "name": p.name,
            "kind": p.kind,
            "default_on": default_on(p, decided),
            "set_by_force": p.id in decided,
        }
        for p in stored.force_providers(conn, tenant).values()
    ]


def replace_force_defaults(
    ctx: MessagingContext, principal: Principal, on: list[str], metadata: EventMetadata
) -> list[dict[str, Any]]:
    """Every provider the force has now is on by default if listed, else off (InvalidInput,
    nothing recorded, for an unknown provider); an event only if something changed."""
    authorize(ctx.opa, principal, "messaging.provider_defaults.manage", _force_resource(principal))
    with ctx.pool.connection() as conn, conn.transaction():
        providers = stored.force_providers(conn, principal.tenant)
        try:
            wanted = check_defaults(on, providers)
        except MessageRuleBroken as broken:
            raise InvalidInput(broken.problems) from broken
        decided = stored.force_defaults(conn, principal.tenant)
        if any(decided.get(i) != v for i, v in wanted.items()):
            event = pb.ProviderDefaultsChanged(
                on=[i for i, v in wanted.items() if v], off=[i for i, v in wanted.items() if not v]
            )
            stream = event_streams.provider_defaults_stream(principal.tenant)
            ctx.streams.append(stream, [event], ANY_VERSION, metadata, conn)
        return _defaults_shown(conn, principal.tenant)
