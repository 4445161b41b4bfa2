"""Membership's web app: the platform plumbing, membership's routes, its errors as problems."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from psycopg_pool import ConnectionPool

from snp_membership.adapters.association_contacts import (
    ContactsUnavailable,
    IdentityAssociationContacts,
)
from snp_membership.adapters.event_streams import membership_streams
from snp_membership.domain.model import GroupRuleBroken, InvalidGroupInput
from snp_membership.entrypoints import routes_areas, routes_groups, routes_members
from snp_membership.entrypoints.consumer import CONSUMER_GROUP, TOPICS, rebuildable
from snp_membership.service_layer.area_export import AreaNotSet
from snp_membership.service_layer.context import MembershipContext, NotFound, TenantUnknown
from snp_membership.service_layer.listing import BadCursor
from snp_membership.settings import MembershipSettings
from snp_platform.directory import IdentityDisplayNames
from snp_platform.eventstore import EventStore
from snp_platform.grpc_tls import grpc_tls
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
from snp_platform.service_auth import signer_from_settings

_AREA_NOT_SET = (
    "No wards are set for your area yet: your force's administrator sets the wards you cover."
)
_TENANT_UNKNOWN = "Membership does not know this force yet; try again shortly."
# Membership's own exceptions as problem documents (the platform's are answered by create_app).
PROBLEMS: ErrorTable = {
    InvalidGroupInput: INVALID_INPUT,
    BadCursor: ErrorProblem(422, "invalid-input", "Unknown cursor."),
    NotFound: ErrorProblem(404, "not-found", "No such resource."),
    GroupRuleBroken: ErrorProblem(409, "conflict", error_message),
    ContactsUnavailable: ErrorProblem(
        503, "directory-unavailable", "Identity could not be asked; try again shortly."
    ),
    AreaNotSet: ErrorProblem(409, "area-not-set", _AREA_NOT_SET),
    TenantUnknown: ErrorProblem(
        409, "tenant-unknown", _TENANT_UNKNOWN, headers={"Retry-After": "2"}
    ),
}


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
    directory = IdentityDisplayNames(
        settings.identity_grpc_target,
        signer,
        settings.directory_timeout_seconds,
        tls=grpc_tls(settings),
    )
    contacts = IdentityAssociationContacts(
        settings.identity_grpc_target,
        signer,
        settings.directory_timeout_seconds,
        tls=grpc_tls(settings),
    )
    streams = membership_streams(EventStore(pool))
    return MembershipContext(pool, streams, OpaClient(settings.opa_url), directory, contacts)


def _ops_access(request: Request) -> tuple[ConnectionPool[Any], OpaClient]:
    ctx = request.app.state.membership
    return ctx.pool, ctx.opa


def build_app(settings: MembershipSettings, ctx: MembershipContext) -> FastAPI:
    ops = ops_router("membership", _ops_access, {CONSUMER_GROUP: TOPICS}, projections=rebuildable())
    app = create_app(
        settings,
        readiness_checks(settings),
        routes_groups.router,
        routes_members.router,
        routes_areas.router,
        ops,
    )
    app.state.membership = ctx
    add_error_problems(app, PROBLEMS)
    return app
