"""What routes need from the app: the pool, OPA, the signer, and the auditor's decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from psycopg_pool import ConnectionPool

from snp_audit.adapters.signing import CheckpointSigner
from snp_platform.authz import authorize
from snp_platform.opa import OpaClient
from snp_platform.tokens import Principal


@dataclass(frozen=True)
class AuditContext:
    pool: ConnectionPool[Any]
    signer: CheckpointSigner
    opa: OpaClient
    kafka_bootstrap: str
    consumer_group: str


def context(request: Request) -> AuditContext:
    ctx: AuditContext = request.app.state.audit
    return ctx


def log_resource(tenant: str) -> dict[str, str]:
    """The policy's resource for a tenant's log: always the caller's own tenant's."""
    return {"type": "log", "id": tenant, "tenant": tenant}


def allow_log(ctx: AuditContext, who: Principal, action: str) -> str:
    """Ask the policy whether `who` may take `action` on their tenant's log; the tenant."""
    authorize(ctx.opa, who, action, log_resource(who.tenant))
    return who.tenant
