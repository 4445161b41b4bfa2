"""Engagement's web app: the platform plumbing, engagement's routes, its errors as problems."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from psycopg_pool import ConnectionPool

from snp_engagement.adapters.reports_keys import ReportKeys
from snp_engagement.domain.rules import InvalidInput, RuleBroken
from snp_engagement.entrypoints import (
    routes_actions,
    routes_ballots,
    routes_events,
    routes_events_public,
    routes_priorities,
    routes_public,
    routes_reports,
    routes_reports_public,
    routes_reports_retention,
)
from snp_engagement.entrypoints.consumer import CONSUMER_GROUP, TOPICS, rebuildable
from snp_engagement.service_layer.context import EngagementContext, NotFound
from snp_engagement.service_layer.reports_filing import (
    PhotoRefused,
    PhotoTooLarge,
    ReportsUnavailable,
)
from snp_engagement.settings import EngagementSettings
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app
from snp_platform.keywrap import ConfiguredKeks
from snp_platform.logging import get_logger
from snp_platform.opa import OpaClient
from snp_platform.ops_routes import ops_router
from snp_platform.problems import ErrorProblem, ErrorTable, add_error_problems, error_message

_log = get_logger(__name__)

# Engagement's own exceptions as problem documents (the platform's are answered by create_app).
PROBLEMS: ErrorTable = {
    InvalidInput: ErrorProblem(422, "invalid-input", error_message),
    NotFound: ErrorProblem(404, "not-found", "No such resource."),
    RuleBroken: ErrorProblem(409, "conflict", error_message),
    PhotoRefused: ErrorProblem(415, "unsupported-media-type", error_message),
    PhotoTooLarge: ErrorProblem(413, "too-large", error_message),
    ReportsUnavailable: ErrorProblem(503, "reports-unavailable", error_message),
}


def readiness_checks(settings: EngagementSettings) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(settings.database_url),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "opa": opa_check(settings.opa_url),
    }


def build_context(settings: EngagementSettings, pool: ConnectionPool[Any]) -> EngagementContext:
    keks = settings.report_keks.get_secret_value()
    return EngagementContext(
        pool=pool,
        opa=OpaClient(settings.opa_url),
        report_keys=ReportKeys(ConfiguredKeks.from_config(keks)) if keks else None,
        report_photo_max_bytes=settings.report_photo_max_bytes,
        report_retention_days=settings.report_retention_days,
    )


def _ops_access(request: Request) -> tuple[ConnectionPool[Any], OpaClient]:
    ctx = request.app.state.engagement
    return ctx.pool, ctx.opa


def build_app(settings: EngagementSettings, ctx: EngagementContext) -> FastAPI:
    ops = ops_router("engagement", _ops_access, {CONSUMER_GROUP: TOPICS}, projections=rebuildable())
    app = create_app(
        settings,
        readiness_checks(settings),
        routes_priorities.router,
        routes_actions.router,
        routes_ballots.router,
        routes_public.router,
        routes_events.router,
        routes_events_public.router,
        routes_reports.router,
        routes_reports_public.router,
        routes_reports_retention.router,
        ops,
    )
    app.state.engagement = ctx
    add_error_problems(app, PROBLEMS, _log)
    return app
