"""`snp-documents api|relay|consumer|rotate-keys`: the documents service's processes and tools."""

from __future__ import annotations

import argparse

from psycopg_pool import ConnectionPool

from snp_documents.adapters.schema import create_documents_schema
from snp_documents.entrypoints.app import build_app, build_context, readiness_checks
from snp_documents.entrypoints.consumer import subscriptions
from snp_documents.service_layer.subject_export import subject_part
from snp_documents.settings import DocumentsSettings
from snp_platform.eventstore import EventMetadata
from snp_platform.runtime import prepare, serve_api, serve_consumer, serve_relay
from snp_platform.service_auth import ServiceTokenServerInterceptor, verifier_from_settings
from snp_platform.settings import load_settings
from snp_platform.subject_export import subject_export_servicer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snp-documents", description=__doc__)
    commands = parser.add_subparsers(dest="role", required=True)
    commands.add_parser("api", help="REST and gRPC (SubjectExport)")
    commands.add_parser("relay", help="publish documents' events to Kafka")
    commands.add_parser("consumer", help="projections and reactions of other services' events")
    commands.add_parser(
        "rotate-keys", help="re-wrap every group key under the active KEK (after a KEK rotation)"
    )
    args = parser.parse_args(argv)
    settings = load_settings(DocumentsSettings)
    prepare(settings, args.role)
    create_documents_schema(settings.database_url)
    with ConnectionPool(
        settings.database_url, min_size=1, max_size=10, timeout=settings.db_pool_timeout_seconds
    ) as pool:
        if args.role == "relay":
            serve_relay(settings, pool)
            return 0
        ctx = build_context(settings, pool)
        if args.role == "api":
            serve_api(
                settings,
                build_app(settings, ctx),
                servicers=[subject_export_servicer("documents", pool, subject_part(ctx.keys))],
                interceptors=[ServiceTokenServerInterceptor(verifier_from_settings(settings))],
                readiness_checks=readiness_checks(settings),
            )
        elif args.role == "consumer":
            serve_consumer(settings, pool, subscriptions(ctx))
        else:
            done = ctx.keys.rewrap_all(EventMetadata(actor="cli:rotate-keys"))
            print(f"re-wrapped {done} group key(s) under KEK {ctx.keys.active_kek}")
    return 0
