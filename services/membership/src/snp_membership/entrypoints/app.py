"""Membership's web app: the platform plumbing, membership's routes, its errors as problems."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from psycopg_pool import ConnectionPool

from snp_membership.adapters.directory import IdentityDirectory
from snp_membership.adapters.event_streams import membership_streams
from snp_membership.domain.model import GroupRuleBroken, InvalidGroupInput
from snp_membership.entrypoints import routes_groups, routes_members
from snp_membership.service_layer.context import MembershipContext, NotFound, TenantUnknown
from snp_membership.service_layer.listing import BadCursor
from snp_membership.settings import MembershipSettings
from snp_platform.eventstore import EventStore
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app
from snp_platform.opa import OpaClient
from snp_platform.problems import PROBLEM_TYPE_BASE, problem_response
from snp_platform.service_auth import signer_from_settings


def readiness_checks(settings: MembershipSettings) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(settings.database_url),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "opa": opa_check(settings.opa_url),
    }


def build_context(settings: MembershipSettings, pool: ConnectionPool[Any]) -> MembershipContext:
    signer = signer_from_settings(settings)
    if signer is None:
        raise SystemExit("membership needs SNP_SERVICE_SIGNING_KEY to ask identity for names")
    directory = IdentityDirectory(
        settings.identity_grpc_target, signer, settings.directory_timeout_seconds
    )
    streams = membership_streams(EventStore(pool))
    return MembershipContext(pool, streams, OpaClient(settings.opa_url), directory)


def build_app(settings: MembershipSettings, ctx: MembershipContext) -> FastAPI:
    app = create_app(
        settings, readiness_checks(settings), routes_groups.router, routes_members.router
    )
    app.state.membership = ctx
    _problems(app)
    return app


def _problems(app: FastAPI) -> None:
    @app.exception_handler(InvalidGroupInput)
    async def invalid(_request: Request, error: InvalidGroupInput) -> JSONResponse:
        return problem_response(
            422,
            detail="The request cannot be accepted.",
            type_uri=PROBLEM_TYPE_BASE + "invalid-input",
            errors=[{"message": p} for p in error.problems],
        )

    @app.exception_handler(BadCursor)
    async def bad_cursor(_request: Request, _error: BadCursor) -> JSONResponse:
        return problem_response(
            422, detail="Unknown cursor.", type_uri=PROBLEM_TYPE_BASE + "invalid-input"
        )

    @app.exception_handler(NotFound)
    async def missing(_request: Request, _error: NotFound) -> JSONResponse:
        return problem_response(
            404, detail="No such resource.", type_uri=PROBLEM_TYPE_BASE + "not-found"
        )

    @app.exception_handler(GroupRuleBroken)
    async def refused(_request: Request, error: GroupRuleBroken) -> JSONResponse:
        return problem_response(409, detail=str(error), type_uri=PROBLEM_TYPE_BASE + "conflict")

    @app.exception_handler(TenantUnknown)
    async def tenant_unknown(_request: Request, _error: TenantUnknown) -> JSONResponse:
        return problem_response(
            409,
            detail="Membership does not know this force yet; try again shortly.",
            type_uri=PROBLEM_TYPE_BASE + "tenant-unknown",
            headers={"Retry-After": "2"},
        )
