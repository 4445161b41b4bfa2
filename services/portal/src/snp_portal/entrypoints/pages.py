"""Rendering: the Jinja environment with GOV.UK Frontend's macros, and the page helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    select_autoescape,
)

from snp_portal.adapters.api import ServiceUnavailable
from snp_portal.adapters.forces import Force, ForceNames
from snp_portal.adapters.token_claims import claims_of
from snp_portal.domain import dates
from snp_portal.domain.sessions import Session
from snp_portal.entrypoints.text_links import linked

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment() -> Environment:
    loader = ChoiceLoader(
        [
            FileSystemLoader(TEMPLATES),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["navigation"] = navigation
    env.filters["day"] = dates.day
    env.filters["linked"] = linked
    env.filters["day_and_time"] = dates.day_and_time
    env.filters["time_of_day"] = dates.time_of_day
    return env


# The service navigation: (href, text, key of `active`); signed-in users see the first list.
ACCOUNT_ITEM = ("/account", "Your account", "account")
SIGNED_IN_NAVIGATION = (
    ("/groups", "Your groups", "groups"),
    ("/inbox", "Messages", "inbox"),
    ("/find", "Find a group", "find"),
    ("/reports", "Your reports", "reports"),
    ACCOUNT_ITEM,
)
SIGNED_OUT_NAVIGATION = (
    ("/find", "Find a group", "find"),
    ("/sign-in", "Sign in", "sign-in"),
)


# A staff kind's console, by kind of account (police, tenant_admin, auditor, operator): its
# pages, then "Your account". A kind not listed sees the members' navigation.
STAFF_NAVIGATION: dict[str, tuple[tuple[str, str, str], ...]] = {
    "tenant_admin": (
        ("/force-admin/staff", "Staff accounts", "force-staff"),
        ("/force-admin/agencies", "Agencies", "force-agencies"),
        ("/force-admin/digests", "Digest time", "force-digests"),
        ("/force-admin/alert-approval", "Alert approval", "force-alert-rule"),
    ),
    "area_coordinator": (("/area-export", "Export your area's groups", "area-export"),),
    "partner": (
        ("/partner", "Your agency", "partner-home"),
        ("/ward-plans", "Ward priorities", "ward-plans"),
        ("/events", "Events", "events"),
        ("/your-events", "Your events", "your-events"),
        ("/ward-reports", "Reports", "ward-reports"),
    ),
    "operator": (
        ("/operator/tenants", "Tenants", "operator-tenants"),
        ("/operator/health", "Platform health", "operator-health"),
        ("/operator/projections", "Projections", "operator-projections"),
    ),
    "auditor": (
        ("/auditor", "Search the log", "auditor-search"),
        ("/auditor/checkpoints", "Checkpoints", "auditor-checkpoints"),
        ("/auditor/export", "Export and verify", "auditor-export"),
    ),
    "police": (
        ("/police/groups", "The force's groups", "police-groups"),
        ("/police/ward-panels/new", "Found a ward panel", "police-found"),
        ("/police/alerts", "Alerts", "police-alerts"),
        ("/ward-plans", "Ward priorities", "ward-plans"),
        ("/events", "Events", "events"),
        ("/your-events", "Your events", "your-events"),
        ("/ward-reports", "Residents' reports", "ward-reports"),
    ),
}


def navigation(
    active: str | None, signed_in: bool, kind: str | None = None
) -> list[dict[str, object]]:
    if kind in STAFF_NAVIGATION:
        items = (*STAFF_NAVIGATION[kind], ACCOUNT_ITEM)
    else:
        items = SIGNED_IN_NAVIGATION if signed_in else SIGNED_OUT_NAVIGATION
    return [{"href": href, "text": text, "active": key == active} for href, text, key in items]


def force_shown(request: Request) -> Force | None:
    """The force the header names: the one whose pages these are (`request.state.force`, set
    by a force's pages), else the signed-in user's. Its slug when identity cannot be asked."""
    session = getattr(request.state, "session", None)
    slug = getattr(request.state, "force", None) or (
        session.tenant if session is not None and session.signed_in else None
    )
    if not slug:
        return None
    names: ForceNames = request.app.state.force_names
    try:
        # None for a tenant that is no police force (the operators' `platform`): no force shown.
        return names.find(slug)
    except ServiceUnavailable:
        return Force(slug, slug)


def _kind(session: Session | None) -> str | None:
    """The signed-in account's kind, for its menus (see adapters/token_claims.py)."""
    if session is None or not session.signed_in or not session.access_token:
        return None
    return claims_of(session.access_token).kind


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.jinja
    settings = request.app.state.settings
    session = getattr(request.state, "session", None)
    force = force_shown(request)
    html = env.get_template(template).render(
        cspNonce=request.state.csp_nonce,
        platform_name=settings.platform_name,
        force=force.display_name if force else None,
        force_url=f"/forces/{force.slug}" if force else "/",
        signed_in=session is not None and session.signed_in,
        account_kind=_kind(session),
        csrf_token=session.csrf_token if session is not None else "",
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def error_list(errors: dict[str, str]) -> list[dict[str, str]]:
    """The GOV.UK error summary's items, each linking to its field."""
    return [{"text": text, "href": f"#{field}"} for field, text in errors.items()]


def render_form(
    request: Request,
    template: str,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page with a form: each error beside its field and in the error summary, and what was
    typed put back (`values`)."""
    return render(
        request,
        template,
        status_code=status_code,
        errors=errors or {},
        error_items=error_list(errors or {}),
        values=values or {},
        **context,
    )
