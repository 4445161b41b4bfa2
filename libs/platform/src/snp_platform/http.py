"""The FastAPI app every service starts from: problems, request context, health, metrics."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from snp_platform.health import ReadinessCheck, run_checks
from snp_platform.logging import bind_context, context_value
from snp_platform.metrics import HttpMetricsMiddleware, metrics_app
from snp_platform.problems import PROBLEM_TYPE_BASE, install_problem_handlers, problem_response
from snp_platform.request_guard import ControlCharacterGuard
from snp_platform.revocations import RevocationList
from snp_platform.settings import ServiceSettings
from snp_platform.tokens import TokenVerifier
from snp_platform.tracing import current_trace_ids, instrument_app

CORRELATION_HEADER = "X-Correlation-ID"
# A client-supplied id is logged and echoed, so only accept a plain token (no log/header injection).
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")


def parse_traceparent(value: str | None) -> tuple[str, str] | None:
    """`(trace_id, parent_span_id)` from a W3C `traceparent` header, or None if invalid."""
    match = _TRACEPARENT.fullmatch((value or "").strip())
    if match is None:
        return None
    version, trace_id, span_id, _ = match.groups()
    if version == "ff" or set(trace_id) == {"0"} or set(span_id) == {"0"}:
        return None
    return trace_id, span_id


def current_correlation_id() -> str | None:
    """The correlation id of the request (or gRPC call) being handled, for event metadata."""
    return context_value("correlation_id")


class RequestContextMiddleware:
    """Binds correlation id and trace ids into the log context and echoes `X-Correlation-ID`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Bind this request's context, then run it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        correlation_id = headers.get(CORRELATION_HEADER, "")
        if not _SAFE_ID.fullmatch(correlation_id):
            correlation_id = uuid.uuid4().hex
        # The request's span when tracing is on; else the caller's trace, or a new one, so every
        # log line and event of this request still joins up.
        trace = current_trace_ids() or parse_traceparent(headers.get("traceparent"))
        trace_id, span_id = trace or (secrets.token_hex(16), secrets.token_hex(8))
        structlog.contextvars.clear_contextvars()
        bind_context(correlation_id=correlation_id, trace_id=trace_id, span_id=span_id)
        scope.setdefault("state", {})["correlation_id"] = correlation_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                if CORRELATION_HEADER not in response_headers:
                    response_headers.append(CORRELATION_HEADER, correlation_id)
            await send(message)

        await self.app(scope, receive, send_with_id)


def _readiness_routes(app: FastAPI, checks: Mapping[str, ReadinessCheck]) -> None:
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        results = await run_in_threadpool(run_checks, checks)
        report = {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()}
        failing = sorted(name for name, (ok, _) in results.items() if not ok)
        if failing:
            return problem_response(
                503,
                detail=f"Failing readiness checks: {', '.join(failing)}.",
                type_uri=PROBLEM_TYPE_BASE + "not-ready",
                failing=failing,
                checks=report,
            )
        return JSONResponse({"status": "ready", "checks": report})


def create_app(
    settings: ServiceSettings,
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
    *routers: APIRouter,
    token_verifier: TokenVerifier | None = None,
    revocations: RevocationList | None = None,
    **fastapi_options: Any,
) -> FastAPI:
    """A service's FastAPI app with the platform plumbing; `routers` carry its own routes.

    Health (`/healthz`, `/readyz`) and `/metrics` are at the root; the OpenAPI document and
    docs are under the service prefix (`/identity/openapi.json`) so one ingress can front all
    services. `revocations` (the service's RevocationList) makes every bearer token check refuse
    tokens of disabled, erased or demoted accounts. `fastapi_options` (e.g. `lifespan`) go to
    FastAPI.
    """
    prefix = settings.api_prefix
    fastapi_options.setdefault("title", f"Safer Neighbourhoods {settings.service_name}")
    app = FastAPI(
        openapi_url=f"{prefix}/openapi.json",
        docs_url=f"{prefix}/docs",
        redoc_url=None,
        **fastapi_options,
    )
    install_problem_handlers(app)
    app.state.settings = settings
    if token_verifier is None and settings.jwks_url:
        token_verifier = TokenVerifier(
            settings.jwks_url, settings.token_issuer, settings.token_leeway_seconds
        )
    app.state.token_verifier = token_verifier
    app.state.revocations = revocations
    app.state.readiness_checks = dict(readiness_checks or {})  # the ops report runs them too
    _readiness_routes(app, app.state.readiness_checks)
    app.mount("/metrics", metrics_app())
    for router in routers:
        app.include_router(router)
    # Added last = outermost: the context is bound before metrics and handlers run.
    app.add_middleware(HttpMetricsMiddleware)
    app.add_middleware(ControlCharacterGuard)
    app.add_middleware(RequestContextMiddleware)
    instrument_app(app)  # outermost of all, when tracing is on: its span holds the request
    return app
