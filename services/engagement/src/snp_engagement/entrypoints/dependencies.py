"""What routes need from the app: the use-case context and event metadata."""

from __future__ import annotations

from fastapi import Request

from snp_engagement.service_layer.context import EngagementContext
from snp_platform.eventstore import EventMetadata
from snp_platform.http import current_correlation_id
from snp_platform.tracing import request_traceparent


def context(request: Request) -> EngagementContext:
    ctx: EngagementContext = request.app.state.engagement
    return ctx


def metadata(request: Request, actor: str) -> EventMetadata:
    return EventMetadata(
        actor=actor,
        correlation_id=current_correlation_id() or "",
        traceparent=request_traceparent(request.headers.get("traceparent", "")),
    )
