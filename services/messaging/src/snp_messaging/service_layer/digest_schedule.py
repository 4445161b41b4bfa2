"""The force's digest time, set by its tenant admins (`messaging.digest_schedule.manage`)."""

from __future__ import annotations

from typing import Any

from snp.messaging.v1 import events_pb2 as pb
from snp_messaging.adapters import digests, event_streams
from snp_messaging.domain.digests import DEFAULT_SCHEDULE, DigestSchedule, check_schedule
from snp_messaging.domain.london import clock_text
from snp_messaging.domain.messages import MessageRuleBroken
from snp_messaging.service_layer.context import InvalidInput, MessagingContext
from snp_platform.authz import authorize
from snp_platform.eventstore import ANY_VERSION, EventMetadata
from snp_platform.tokens import Principal


def _resource(principal: Principal) -> dict[str, Any]:
    return {"type": "digest_schedule", "id": principal.tenant, "tenant": principal.tenant}


def _shown(schedule: DigestSchedule, is_default: bool) -> dict[str, Any]:
    return {
        "time": clock_text(schedule.at),
        "weekday": schedule.weekday,
        "timezone": "Europe/London",
        "is_default": is_default,
    }


def digest_schedule(ctx: MessagingContext, principal: Principal) -> dict[str, Any]:
    """When the force's daily and weekly digests go (07:00, weekly on Monday, until set)."""
    authorize(ctx.opa, principal, "messaging.digest_schedule.manage", _resource(principal))
    with ctx.pool.connection() as conn:
        found = digests.find_schedule(conn, principal.tenant)
    return _shown(found or DEFAULT_SCHEDULE, found is None)


def set_digest_schedule(
    ctx: MessagingContext, principal: Principal, at: str, weekday: str, metadata: EventMetadata
) -> dict[str, Any]:
    """Set the force's digest time; an event only if it changes, nothing on bad input (422)."""
    authorize(ctx.opa, principal, "messaging.digest_schedule.manage", _resource(principal))
    try:
        schedule = check_schedule(at, weekday)
    except MessageRuleBroken as broken:
        raise InvalidInput(broken.problems) from broken
    with ctx.pool.connection() as conn, conn.transaction():
        if digests.find_schedule(conn, principal.tenant) != schedule:
            event = pb.DigestScheduleChanged(time=clock_text(schedule.at), weekday=schedule.weekday)
            stream = event_streams.digest_schedule_stream(principal.tenant)
            ctx.streams.append(stream, [event], ANY_VERSION, metadata, conn)
    return _shown(schedule, False)
