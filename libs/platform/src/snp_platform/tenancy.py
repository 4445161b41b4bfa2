"""The current tenant, taken from the verified access token and never from a client header."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import structlog

_current: ContextVar[str | None] = ContextVar("snp_tenant", default=None)


class TenancyError(Exception):
    """Base of the tenancy errors (mapped to problems in problems.py)."""


class NoTenantContext(TenancyError):
    """Tenant-scoped code ran without an authenticated tenant (answered 403)."""


class TenantMismatch(TenancyError):
    """A resource belongs to another tenant (answered 404: its existence is not revealed)."""


def bind_tenant(tenant: str) -> None:
    """Make `tenant` current for the rest of this request/task and tag its log lines.

    Only the token-verifying dependency (tokens.require_principal) and trusted internal callers
    should call this.
    """
    if not tenant:
        raise NoTenantContext("empty tenant")
    _current.set(tenant)
    structlog.contextvars.bind_contextvars(tenant=tenant)


def current_tenant() -> str:
    """The current request's tenant; raises NoTenantContext when none was bound."""
    tenant = _current.get()
    if tenant is None:
        raise NoTenantContext("no tenant bound to this context")
    return tenant


def current_tenant_or_none() -> str | None:
    """The current tenant, or None outside an authenticated request."""
    return _current.get()


def ensure_same_tenant(resource_tenant: str) -> None:
    """Raise TenantMismatch unless `resource_tenant` is the current tenant."""
    if resource_tenant != current_tenant():
        raise TenantMismatch("resource belongs to another tenant")


@contextmanager
def tenant_context(tenant: str) -> Iterator[str]:
    """Run a block (a consumer handling one event, a test) as `tenant`, restoring afterwards."""
    if not tenant:
        raise NoTenantContext("empty tenant")
    token = _current.set(tenant)
    log_tokens = structlog.contextvars.bind_contextvars(tenant=tenant)
    try:
        yield tenant
    finally:
        structlog.contextvars.reset_contextvars(**log_tokens)
        _current.reset(token)
