"""Audit's web app: the platform plumbing and audit's routes."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from psycopg_pool import ConnectionPool

from snp_audit.entrypoints import routes_auditor, routes_checkpoints, routes_ingest, routes_ops
from snp_audit.entrypoints.consumer import rebuildable
from snp_audit.entrypoints.dependencies import AuditContext
from snp_audit.service_layer.ingest import EVENT_TOPICS
from snp_audit.settings import AuditSettings
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app
from snp_platform.opa import OpaClient
from snp_platform.ops_routes import ops_router


def readiness_checks(settings: AuditSettings) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(settings.database_url),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "opa": opa_check(settings.opa_url),
    }


def _ops_access(request: Request) -> tuple[ConnectionPool[Any], OpaClient]:
    ctx: AuditContext = request.app.state.audit
    return ctx.pool, ctx.opa


def build_app(settings: AuditSettings, ctx: AuditContext) -> FastAPI:
    app = create_app(
        settings,
        readiness_checks(settings),
        routes_auditor.router,
        routes_checkpoints.router,
        routes_ingest.router,
        routes_ops.router,
        # Audit publishes nothing (no relay); its one group reads every events topic.
        ops_router(
            "audit",
            _ops_access,
            {settings.consumer_group: (EVENT_TOPICS,)},
            relay=False,
            projections=rebuildable(),
        ),
    )
    app.state.audit = ctx
    app.state.self_check = {}
    return app
