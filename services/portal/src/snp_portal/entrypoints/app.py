"""The portal's FastAPI app: pages, /assets, security headers, HTML error pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from psycopg_pool import ConnectionPool
from starlette.exceptions import HTTPException as StarletteHTTPException

from snp_platform.keywrap import ConfiguredKeks
from snp_platform.tracing import instrument_app
from snp_portal.adapters.api import Apis, NotSignedIn, Refusal, ServiceUnavailable
from snp_portal.adapters.forces import ForceNames
from snp_portal.adapters.identity import IdentityClient
from snp_portal.adapters.session_store import SessionStore
from snp_portal.entrypoints import (
    assets,
    routes_account,
    routes_agency_plans,
    routes_area_export,
    routes_audit_checkpoints,
    routes_audit_export,
    routes_audit_log,
    routes_authenticator,
    routes_contact,
    routes_data_copy,
    routes_disclosures,
    routes_documents,
    routes_erase,
    routes_events,
    routes_events_changes,
    routes_events_manage,
    routes_events_panel,
    routes_events_public,
    routes_find,
    routes_force_agencies,
    routes_force_alert_rule,
    routes_force_digests,
    routes_force_staff,
    routes_force_staff_area,
    routes_force_staff_changes,
    routes_force_staff_resets,
    routes_forces,
    routes_found,
    routes_group_members,
    routes_group_officers,
    routes_group_public,
    routes_group_settings,
    routes_groups,
    routes_inbox,
    routes_inbox_feedback,
    routes_mailing_lists,
    routes_messages,
    routes_operator_health,
    routes_operator_projections,
    routes_operator_tenants,
    routes_panel_priorities,
    routes_panel_priority_changes,
    routes_panel_vote,
    routes_partner,
    routes_password,
    routes_password_reset,
    routes_police_alerts,
    routes_police_alerts_follow_ups,
    routes_police_alerts_sent,
    routes_police_alerts_waiting,
    routes_police_groups,
    routes_police_panels,
    routes_preferences,
    routes_register,
    routes_replies,
    routes_reports,
    routes_reports_follow,
    routes_reports_police,
    routes_set_up,
    routes_sign_in,
    routes_staff,
    routes_ward_public,
)
from snp_portal.entrypoints.pages import environment, render
from snp_portal.entrypoints.security import SecurityHeaders
from snp_portal.entrypoints.staff import NotYourConsole, SecondFactorFirst
from snp_portal.entrypoints.web import CsrfRefused, SignInFirst, see_other, to_sign_in
from snp_portal.service_layer.auth import Portal
from snp_portal.settings import PortalSettings

_TITLES = {
    403: (
        "Your request could not be accepted",
        "The form had expired or was not sent from this site. "
        "Go back, reload the page and try again.",
    ),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("Page not found", "If you typed the web address, check it is correct."),
}


_REFUSAL_TITLES = {
    403: "You cannot do this",
    404: "Page not found",
    409: "That cannot be done now",
}

# Each page module's router; a new journey adds its module here.
# `/groups/new` (routes_found) comes before any `/groups/{group_id}` page so "new" is not an id.
ROUTERS = (
    routes_sign_in,
    routes_account,
    routes_forces,
    routes_find,
    routes_group_public,
    routes_register,
    routes_found,
    routes_documents,
    routes_mailing_lists,
    routes_messages,
    routes_inbox,
    routes_inbox_feedback,
    routes_replies,
    routes_groups,
    routes_group_members,
    routes_group_officers,
    routes_group_settings,
    routes_preferences,
    routes_contact,
    routes_disclosures,
    routes_area_export,
    routes_force_staff_area,
    routes_data_copy,
    routes_erase,
    routes_authenticator,
    routes_password,
    routes_password_reset,
    routes_staff,
    routes_operator_tenants,
    routes_operator_health,
    routes_operator_projections,
    routes_audit_log,
    routes_audit_checkpoints,
    routes_audit_export,
    routes_force_staff,
    routes_force_staff_resets,
    routes_force_staff_changes,
    routes_set_up,
    routes_police_groups,
    routes_police_panels,
    routes_police_alerts,
    # `/police/alerts/waiting` before `/police/alerts/{message_id}` so "waiting" is not an id.
    routes_police_alerts_waiting,
    routes_police_alerts_follow_ups,
    routes_police_alerts_sent,
    routes_force_agencies,
    routes_force_digests,
    routes_force_alert_rule,
    routes_partner,
    routes_panel_priorities,
    routes_panel_priority_changes,
    routes_panel_vote,
    routes_agency_plans,
    routes_ward_public,
    # `/events/new` (routes_events_manage) before `/events/{event_id}` so "new" is not an id.
    routes_events_manage,
    routes_events_changes,
    routes_events_panel,
    routes_events,
    routes_events_public,
    routes_reports,
    routes_reports_follow,
    routes_reports_police,
)


def _message(request: Request, status: int, title: str, text: str) -> HTMLResponse:
    if not hasattr(request.state, "session"):
        request.state.session = None
    return render(
        request, "message.html", status_code=status, title=title, paragraphs=[text], errors={}
    )


def build_app(settings: PortalSettings, pool: ConnectionPool[Any]) -> FastAPI:
    app = FastAPI(title="snp-portal", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.jinja = environment()
    app.state.portal = Portal(
        SessionStore(
            pool, ConfiguredKeks.from_config(settings.portal_session_keys.get_secret_value())
        ),
        IdentityClient(settings.identity_base_url),
        timedelta(seconds=settings.session_idle_seconds),
        timedelta(seconds=settings.session_absolute_seconds),
    )
    app.add_middleware(SecurityHeaders)
    app.include_router(assets.router(settings.assets_dir))
    app.state.apis = Apis.from_urls(
        settings.identity_base_url,
        settings.membership_base_url,
        settings.documents_base_url,
        settings.messaging_base_url,
        audit=settings.audit_base_url,
        engagement=settings.engagement_base_url,
    )
    app.state.force_names = ForceNames(app.state.apis.identity)
    for module in ROUTERS:
        app.include_router(module.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return Response("ok", media_type="text/plain")

    @app.exception_handler(SignInFirst)
    @app.exception_handler(NotSignedIn)
    def sign_in_first(request: Request, _error: Exception) -> Response:
        return to_sign_in(request)

    @app.exception_handler(SecondFactorFirst)
    def second_factor_first(_request: Request, _error: Exception) -> Response:
        return see_other("/staff/second-factor")

    @app.exception_handler(NotYourConsole)
    def not_your_console(request: Request, _error: Exception) -> HTMLResponse:
        text = "This page belongs to another kind of account's console. Use your own menu."
        return _message(request, 403, "You cannot see this page", text)

    @app.exception_handler(Refusal)
    def refused(request: Request, error: Exception) -> HTMLResponse:
        # A refusal no page turned into field errors: say what the service said, in its words.
        assert isinstance(error, Refusal)
        title = _REFUSAL_TITLES.get(error.status, "Sorry, that cannot be done")
        return _message(request, error.status, title, error.message)

    @app.exception_handler(CsrfRefused)
    def csrf_refused(request: Request, _error: Exception) -> HTMLResponse:
        title, text = _TITLES[403]
        return _message(request, 403, title, text)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: Exception) -> HTMLResponse:
        status = getattr(error, "status_code", 500)
        title, text = _TITLES.get(status, ("Sorry, there is a problem", "Try again later."))
        return _message(request, status, title, text)

    @app.exception_handler(ServiceUnavailable)
    def unavailable(request: Request, _error: Exception) -> HTMLResponse:
        text = "Part of the service is not working right now. Try again later."
        return _message(request, 503, "Sorry, there is a problem with the service", text)

    @app.exception_handler(Exception)
    def crashed(request: Request, _error: Exception) -> HTMLResponse:
        text = "Something went wrong on our side. Try again later."
        return _message(request, 500, "Sorry, there is a problem with the service", text)

    instrument_app(app)  # when tracing is on: a page's calls to the services join its trace
    return app
