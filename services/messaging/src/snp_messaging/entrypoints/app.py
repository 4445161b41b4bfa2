"""Messaging's web app: the platform plumbing, messaging's routes, its errors as problems."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from snp_messaging.entrypoints import routes_members, routes_messages
from snp_messaging.service_layer.context import InvalidInput, MessagingContext
from snp_messaging.settings import MessagingSettings
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app
from snp_platform.problems import PROBLEM_TYPE_BASE, problem_response


def readiness_checks(settings: MessagingSettings) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(settings.database_url),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "opa": opa_check(settings.opa_url),
    }


def build_app(settings: MessagingSettings, ctx: MessagingContext) -> FastAPI:
    app = create_app(
        settings, readiness_checks(settings), routes_messages.router, routes_members.router
    )
    app.state.messaging = ctx

    @app.exception_handler(InvalidInput)
    async def invalid(_request: Request, error: InvalidInput) -> JSONResponse:
        return problem_response(
            422,
            detail="The request cannot be accepted.",
            type_uri=PROBLEM_TYPE_BASE + "invalid-input",
            errors=[{"message": p} for p in error.problems],
        )

    return app
