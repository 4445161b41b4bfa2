"""A member's own preferences: read (defaults until set) and replace, with their choice per
information provider (service_layer/consent.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import event_streams
from snp_messaging.adapters import preferences as stored
from snp_messaging.adapters import recipients as projection
from snp_messaging.domain.london import clock_text
from snp_messaging.domain.messages import MessageRuleBroken, Priority
from snp_messaging.domain.preferences import DEFAULT, Preferences, Timing, check_preferences
from snp_messaging.service_layer import consent
from snp_messaging.service_layer.context import InvalidInput, MessagingContext
from snp_platform.authz import authorize
from snp_platform.eventstore import ANY_VERSION, EventMetadata
from snp_platform.tokens import Principal


def _own(ctx: MessagingContext, principal: Principal) -> None:
    resource = {
        "type": "preferences",
        "id": principal.account_id,
        "tenant": principal.tenant,
        "owner": principal.account_id,
    }
    authorize(ctx.opa, principal, "messaging.preferences.manage", resource)


@dataclass(frozen=True)
class TimingChange:
    """The digest and quiet hours a request asks for; None (or `quiet_given` False): keep
    what the member has."""

    digest: str | None = None
    digest_below: str | None = None
    quiet_hours: tuple[str, str] | None = None  # (start, end); None with quiet_given: off
    quiet_given: bool = False

    def applied_to(self, current: Preferences) -> Timing:
        quiet = current.quiet_hours
        start, end = (clock_text(quiet.start), clock_text(quiet.end)) if quiet else ("", "")
        if self.quiet_given:
            start, end = self.quiet_hours or ("", "")
        return Timing(
            self.digest if self.digest is not None else current.digest.value,
            self.digest_below if self.digest_below is not None else current.digest_below.value,
            start,
            end,
        )


@dataclass(frozen=True)
class PreferencesRead:
    preferences: Preferences
    delivery_problems: list[dict[str, Any]]
    wards: list[dict[str, str]]  # the areas the member may opt into: {code, name}
    providers: list[dict[str, Any]]  # each provider: {id, name, kind, on, chosen, default_on}


def read(ctx: MessagingContext, principal: Principal) -> PreferencesRead:
    """The caller's preferences, the delivery problems recorded against their contacts, and
    the force's wards they may choose among."""
    _own(ctx, principal)
    with ctx.pool.connection() as conn:
        prefs = stored.find_preferences(conn, principal.tenant, principal.account_id)
        problems = stored.contact_problems(conn, principal.tenant, principal.account_id)
        wards = projection.ward_names(conn, principal.tenant)
        providers = consent.member_providers(conn, principal.tenant, principal.account_id)
    listed = [
        {"channel": c, "outcome": o, "reason": r, "recorded_at": t.isoformat()}
        for c, o, r, t in problems
    ]
    return PreferencesRead(
        DEFAULT if prefs is None else prefs,
        listed,
        [{"code": code, "name": name} for code, name in wards],
        providers,
    )


def replace(
    ctx: MessagingContext,
    principal: Principal,
    channels: list[str],
    areas: list[str],
    minimum_priority: Priority,
    metadata: EventMetadata,
    providers: list[tuple[str, bool]] | None = None,
    timing: TimingChange = TimingChange(),
) -> tuple[Preferences, list[dict[str, Any]]]:
    """Replace the caller's preferences and (given `providers`) change their choices; every
    fault is one InvalidInput and nothing is recorded. The preferences and the providers back."""
    _own(ctx, principal)
    with ctx.pool.connection() as conn, conn.transaction():
        problems: list[str] = []
        current = stored.find_preferences(conn, principal.tenant, principal.account_id)
        try:
            prefs = check_preferences(
                channels,
                areas,
                minimum_priority,
                projection.known_wards(conn, principal.tenant),
                timing.applied_to(current or DEFAULT),
            )
        except MessageRuleBroken as broken:
            problems += broken.problems
        try:
            consents = consent.consent_changes(
                conn, principal.tenant, principal.account_id, providers or []
            )
        except InvalidInput as invalid:
            problems += invalid.problems
        if problems:
            raise InvalidInput(problems)
        event = pb.PreferencesChanged(
            account_id=principal.account_id,
            channels=list(prefs.channels),
            areas=list(prefs.areas),
            minimum_priority=prefs.minimum_priority.value,
            digest=prefs.digest.value,
            digest_below=prefs.digest_below.value,
            quiet_start=clock_text(prefs.quiet_hours.start) if prefs.quiet_hours else "",
            quiet_end=clock_text(prefs.quiet_hours.end) if prefs.quiet_hours else "",
        )
        stream = event_streams.recipient_stream(principal.tenant, principal.account_id)
        ctx.streams.append(stream, [event, *consents], ANY_VERSION, metadata, conn)  # and rows
        shown = consent.member_providers(conn, principal.tenant, principal.account_id)
    return prefs, shown
