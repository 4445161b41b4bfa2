"""Messaging's web app: the platform plumbing, messaging's routes, its errors as problems."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from psycopg_pool import ConnectionPool

from snp_messaging.domain.approvals import AlertStateConflict
from snp_messaging.domain.feedback import AlreadyAnswered, PollRuleBroken
from snp_messaging.domain.replies import ReplyRuleBroken
from snp_messaging.entrypoints import (
    routes_alerts,
    routes_approvals,
    routes_digests,
    routes_members,
    routes_messages,
    routes_providers,
    routes_replies,
)
from snp_messaging.entrypoints.consumer import CONSUMER_GROUP, TOPICS, rebuildable
from snp_messaging.service_layer.context import InvalidInput, MessagingContext, NotFound
from snp_messaging.settings import MessagingSettings
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app
from snp_platform.opa import OpaClient
from snp_platform.ops_routes import ops_router
from snp_platform.problems import (
    INVALID_INPUT,
    ErrorProblem,
    ErrorTable,
    add_error_problems,
    error_message,
)

# Messaging's own exceptions as problem documents (the platform's are answered by create_app).
PROBLEMS: ErrorTable = {
    (InvalidInput, PollRuleBroken, ReplyRuleBroken): INVALID_INPUT,
    AlreadyAnswered: ErrorProblem(409, "poll-already-answered", error_message),
    # A held alert decided twice, edited after it was decided, a correction of one withdrawn.
    AlertStateConflict: ErrorProblem(409, "alert-state-conflict", error_message),
    NotFound: ErrorProblem(404, "not-found", "No such message or alert."),
}


def readiness_checks(settings: MessagingSettings) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(settings.database_url),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "opa": opa_check(settings.opa_url),
    }


def _ops_access(request: Request) -> tuple[ConnectionPool[Any], OpaClient]:
    ctx = request.app.state.messaging
    return ctx.pool, ctx.opa


def build_app(settings: MessagingSettings, ctx: MessagingContext) -> FastAPI:
    ops = ops_router("messaging", _ops_access, {CONSUMER_GROUP: TOPICS}, projections=rebuildable())
    app = create_app(
        settings,
        readiness_checks(settings),
        routes_messages.router,
        routes_alerts.router,
        routes_approvals.router,
        routes_members.router,
        routes_digests.router,
        routes_providers.router,
        routes_replies.router,
        ops,
    )
    app.state.messaging = ctx
    add_error_problems(app, PROBLEMS)
    return app
