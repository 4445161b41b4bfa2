"""`snp-membership api|relay|consumer|rebuild-projections`: membership's processes and tools."""

from __future__ import annotations

import argparse
import sys

from psycopg_pool import ConnectionPool

from snp.membership.v1 import queries_pb2_grpc as queries_rpc
from snp_membership.adapters.rebuild import rebuild_group_tables
from snp_membership.adapters.schema import create_membership_schema
from snp_membership.adapters.subject_export import subject_part
from snp_membership.entrypoints.app import build_app, build_context, readiness_checks
from snp_membership.entrypoints.consumer import subscriptions
from snp_membership.entrypoints.grpc_queries import MembershipQueriesServicer
from snp_membership.settings import MembershipSettings
from snp_platform.eventstore import EventStore
from snp_platform.runtime import prepare, serve_api, serve_consumer, serve_relay
from snp_platform.service_auth import ServiceTokenServerInterceptor, verifier_from_settings
from snp_platform.settings import load_settings
from snp_platform.subject_export import subject_export_servicer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snp-membership", description=__doc__)
    commands = parser.add_subparsers(dest="role", required=True)
    commands.add_parser("api", help="REST and gRPC (MembershipQueries)")
    commands.add_parser("relay", help="publish membership's events to Kafka")
    commands.add_parser("consumer", help="apply identity's events (tenants, accounts, erasure)")
    commands.add_parser(
        "rebuild-projections", help="rebuild the group tables from membership's event store"
    )
    args = parser.parse_args(argv)
    settings = load_settings(MembershipSettings)
    prepare(settings, args.role)
    create_membership_schema(settings.database_url)
    with ConnectionPool(
        settings.database_url, min_size=1, max_size=10, timeout=settings.db_pool_timeout_seconds
    ) as pool:
        if args.role == "relay":
            serve_relay(settings, pool)
        elif args.role == "consumer":
            serve_consumer(settings, pool, subscriptions(EventStore(pool)))
        elif args.role == "rebuild-projections":
            applied = rebuild_group_tables(pool)
            print(f"group tables rebuilt from {applied} events")
        else:
            ctx = build_context(settings, pool)
            serve_api(
                settings,
                build_app(settings, ctx),
                servicers=[
                    (
                        queries_rpc.add_MembershipQueriesServicer_to_server,
                        MembershipQueriesServicer(pool),
                    ),
                    subject_export_servicer("membership", pool, subject_part),
                ],
                interceptors=[ServiceTokenServerInterceptor(verifier_from_settings(settings))],
                readiness_checks=readiness_checks(settings),
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
