"""`snp-portal api`: the web portal (it has no relay or consumer: it holds only sessions)."""

from __future__ import annotations

import argparse

from psycopg_pool import ConnectionPool

from snp_platform.logging import configure_logging
from snp_platform.runtime import serve_http
from snp_platform.settings import load_settings
from snp_platform.tracing import configure_tracing
from snp_portal.adapters.session_store import create_schema
from snp_portal.entrypoints.app import build_app
from snp_portal.settings import PortalSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snp-portal", description=__doc__)
    commands = parser.add_subparsers(dest="role", required=True)
    commands.add_parser("api", help="the web portal (HTML)")
    parser.parse_args(argv)
    settings = load_settings(PortalSettings)
    if not settings.portal_session_keys.get_secret_value():
        raise SystemExit(
            "snp-portal needs SNP_PORTAL_SESSION_KEYS (`id:<base64url 32 bytes>;active=id`)"
        )
    configure_logging(settings.service_name, settings.log_level)
    configure_tracing(settings.service_name, "api")
    # Autocommit: every statement of the session store stands alone, so a page's session read
    # is one round trip, not a read and a COMMIT.
    with ConnectionPool(
        settings.database_url,
        min_size=2,
        max_size=8,
        timeout=settings.db_pool_timeout_seconds,
        kwargs={"autocommit": True},
    ) as pool:
        create_schema(pool)
        serve_http(settings, build_app(settings, pool))
    return 0
