"""Identity's web app: the platform plumbing, identity's routes, its errors as problems."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import FastAPI, Request
from psycopg_pool import ConnectionPool

from snp_identity.adapters.crypto import KeyEncryptionKeys
from snp_identity.adapters.membership import MembershipLeadership
from snp_identity.domain.accounts import AccountRuleBroken, LastLeader
from snp_identity.domain.administrators import LastAdministrator
from snp_identity.domain.agencies import AgencyRuleBroken, InvalidAgency
from snp_identity.domain.authenticator_resets import ResetNotWaiting, ResetRequestExpired
from snp_identity.domain.tenants import TenantRuleBroken
from snp_identity.entrypoints import (
    routes_accounts,
    routes_agencies,
    routes_association,
    routes_authenticator_resets,
    routes_disclosures,
    routes_lookups,
    routes_public,
    routes_security,
    routes_sessions,
    routes_staff,
    routes_subject_exports,
    routes_tenants,
)
from snp_identity.service_layer.context import (
    IdentityContext,
    InvalidInput,
    LeadershipUnknown,
    NotFound,
)
from snp_identity.service_layer.passwords import WrongPassword
from snp_identity.settings import IdentitySettings
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
from snp_platform.revocations import RevocationList
from snp_platform.service_auth import signer_from_settings
from snp_platform.tokens import TokenVerifier


def _led_groups(error: LastLeader) -> list[dict[str, Any]]:
    """One entry per group the account leads alone, so a page can name and link each."""
    return [
        {
            "message": f"You are the only {g.office} of {g.name}",
            "group_id": g.group_id,
            "group_name": g.name,
            "office": g.office,
        }
        for g in error.groups
    ]


# Identity's own exceptions as problem documents (the platform's are answered by create_app).
PROBLEMS: ErrorTable = {
    (InvalidInput, InvalidAgency): INVALID_INPUT,
    NotFound: ErrorProblem(404, "not-found", "No such account."),
    (AccountRuleBroken, TenantRuleBroken, AgencyRuleBroken): ErrorProblem(
        409, "conflict", error_message
    ),
    LastLeader: ErrorProblem(409, "last-leader", error_message, errors=_led_groups),
    LastAdministrator: ErrorProblem(
        409,
        "last-administrator",
        "This is the force's last active administrator. Make another administrator first:"
        " a force must always have one.",
    ),
    ResetNotWaiting: ErrorProblem(409, "reset-not-waiting", error_message),
    ResetRequestExpired: ErrorProblem(409, "reset-request-expired", error_message),
    LeadershipUnknown: ErrorProblem(
        503, "membership-unavailable", "Cannot check the groups you lead now. Try again later."
    ),
    WrongPassword: ErrorProblem(
        422,
        "wrong-password",
        "The current password is not right.",
        errors=lambda _e: [
            {"field": "current_password", "message": "the current password is not right"}
        ],
    ),
}


def readiness_checks(settings: IdentitySettings) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(settings.database_url),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "opa": opa_check(settings.opa_url),
    }


def build_context(settings: IdentitySettings, pool: ConnectionPool[Any]) -> IdentityContext:
    if not settings.keks.get_secret_value() or not settings.blind_index_key.get_secret_value():
        raise SystemExit("identity needs SNP_KEKS and SNP_BLIND_INDEX_KEY (see docs)")
    return IdentityContext(
        pool=pool,
        keks=KeyEncryptionKeys.from_config(settings.keks.get_secret_value()),
        index_key=base64.urlsafe_b64decode(settings.blind_index_key.get_secret_value() + "=="),
        issuer=settings.token_issuer or "snp-identity",
        access_lifetime=settings.access_token_lifetime_seconds,
        refresh_lifetime=settings.refresh_token_lifetime_seconds,
        leadership=_leadership(settings),
    )


def _leadership(settings: IdentitySettings) -> MembershipLeadership | None:
    signer = signer_from_settings(settings)
    if signer is None:
        return None
    return MembershipLeadership(settings.membership_grpc_target, signer, tls=grpc_tls(settings))


def _ops_access(request: Request) -> tuple[ConnectionPool[Any], OpaClient]:
    ctx: IdentityContext = request.app.state.identity
    return ctx.pool, request.app.state.opa


def build_app(settings: IdentitySettings, ctx: IdentityContext) -> FastAPI:
    verifier = TokenVerifier(settings.jwks_self_url(), settings.token_issuer)
    app = create_app(
        settings,
        readiness_checks(settings),
        routes_sessions.router,
        routes_accounts.router,
        routes_lookups.router,
        routes_public.router,
        routes_security.router,
        routes_tenants.router,
        routes_staff.router,
        routes_authenticator_resets.router,
        routes_disclosures.router,
        routes_subject_exports.router,
        routes_agencies.router,
        routes_association.router,
        ops_router("identity", _ops_access, {}),  # identity consumes no events
        token_verifier=verifier,
        revocations=RevocationList(ctx.pool),
    )
    app.state.identity = ctx
    app.state.opa = OpaClient(settings.opa_url)
    add_error_problems(app, PROBLEMS)
    return app
