"""`snp-engagement api|relay|consumer|rebuild-tables|shred-expired-reports`: the engagement
service's processes and commands."""

from __future__ import annotations

import argparse
import threading
from typing import Any

from psycopg_pool import ConnectionPool

from snp_engagement.adapters.read_models import rebuild_tables
from snp_engagement.adapters.schema import create_engagement_schema
from snp_engagement.entrypoints.app import build_app, build_context, readiness_checks
from snp_engagement.entrypoints.consumer import subscriptions
from snp_engagement.service_layer.reports_retention import run_retention, shred_expired
from snp_engagement.service_layer.subject_export import subject_part
from snp_engagement.settings import EngagementSettings
from snp_platform.runtime import prepare, serve_api, serve_consumer, serve_relay
from snp_platform.service_auth import ServiceTokenServerInterceptor, verifier_from_settings
from snp_platform.settings import load_settings
from snp_platform.subject_export import subject_export_servicer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snp-engagement", description=__doc__)
    commands = parser.add_subparsers(dest="role", required=True)
    commands.add_parser("api", help="REST and gRPC (SubjectExport)")
    commands.add_parser("relay", help="publish engagement's events to Kafka")
    commands.add_parser("consumer", help="projections of membership's and identity's events")
    commands.add_parser(
        "rebuild-tables", help="rebuild engagement's tables (plans to events) from the event store"
    )
    commands.add_parser(
        "shred-expired-reports",
        help="crypto-shred closed reports past their force's retention now (the relay does daily)",
    )
    args = parser.parse_args(argv)
    settings = load_settings(EngagementSettings)
    prepare(settings, args.role)
    create_engagement_schema(settings.database_url)
    with ConnectionPool(
        settings.database_url, min_size=1, max_size=10, timeout=settings.db_pool_timeout_seconds
    ) as pool:
        if args.role == "relay":
            _relay_and_retention(settings, pool)
        elif args.role == "consumer":
            serve_consumer(settings, pool, subscriptions())
        elif args.role == "rebuild-tables":
            print(f"applied {rebuild_tables(pool)} event(s)")
        elif args.role == "shred-expired-reports":
            shredded = shred_expired(pool, settings.report_retention_days)
            print(f"shredded {shredded} closed report(s) past their force's retention")
        else:
            ctx = build_context(settings, pool)
            serve_api(
                settings,
                build_app(settings, ctx),
                servicers=[
                    subject_export_servicer("engagement", pool, subject_part(ctx.report_keys))
                ],
                interceptors=[ServiceTokenServerInterceptor(verifier_from_settings(settings))],
                readiness_checks=readiness_checks(settings),
            )
    return 0


def _relay_and_retention(settings: EngagementSettings, pool: ConnectionPool[Any]) -> None:
    """The relay, with the daily retention job beside it on its own thread."""
    stop = threading.Event()
    job = threading.Thread(
        target=run_retention,
        args=(pool, settings.report_retention_days, stop),
        kwargs={"interval": settings.report_retention_interval_seconds},
        name="report-retention",
        daemon=True,
    )
    job.start()
    try:
        serve_relay(settings, pool)
    finally:
        stop.set()
        job.join(30)
