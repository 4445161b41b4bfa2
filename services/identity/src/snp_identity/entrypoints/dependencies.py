"""What routes need from the app: the use-case context, OPA, and event metadata."""

from __future__ import annotations

from fastapi import Request

from snp_identity.service_layer.context import IdentityContext
from snp_platform.eventstore import EventMetadata
from snp_platform.http import current_correlation_id
from snp_platform.opa import OpaClient
from snp_platform.tracing import request_traceparent


def context(request: Request) -> IdentityContext:
    ctx: IdentityContext = request.app.state.identity
    return ctx


def opa(request: Request) -> OpaClient:
    client: OpaClient = request.app.state.opa
    return client


def metadata(request: Request, actor: str) -> EventMetadata:
    return EventMetadata(
        actor=actor,
        correlation_id=current_correlation_id() or "",
        traceparent=request_traceparent(request.headers.get("traceparent", "")),
    )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
