"""`snp-identity api|relay|create-operator`: the identity service's processes and setup."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import threading

from psycopg_pool import ConnectionPool

from snp.identity.v1 import directory_pb2_grpc as directory_rpc
from snp_identity.adapters.schema import create_identity_schema
from snp_identity.domain.contacts import Contact
from snp_identity.domain.tenants import OPERATORS_TENANT
from snp_identity.entrypoints.app import build_app, build_context, readiness_checks
from snp_identity.entrypoints.grpc_directory import DirectoryServicer
from snp_identity.service_layer import accounts, demo
from snp_identity.service_layer.assembly import Assembler, identity_part
from snp_identity.service_layer.context import IdentityContext, InvalidInput
from snp_identity.settings import IdentitySettings
from snp_platform.eventstore import EventMetadata
from snp_platform.grpc_tls import grpc_tls
from snp_platform.runtime import prepare, serve_api, serve_relay
from snp_platform.service_auth import (
    ServiceTokenServerInterceptor,
    signer_from_settings,
    verifier_from_settings,
)
from snp_platform.settings import load_settings
from snp_platform.subject_export import SubjectExportClient, subject_export_servicer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snp-identity", description=__doc__)
    commands = parser.add_subparsers(dest="role", required=True)
    commands.add_parser("api", help="REST and gRPC")
    commands.add_parser(
        "relay", help="publish identity's events to Kafka; assemble subject access exports"
    )
    commands.add_parser(
        "seed-demo",
        help="a demo tenant with one account of each kind, derived from $SNP_DEMO_SEED",
    )
    operator = commands.add_parser("create-operator", help="the first operator of a deployment")
    operator.add_argument("--email", required=True)
    operator.add_argument("--name", required=True)
    operator.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (for scripts)",
    )
    args = parser.parse_args(argv)
    settings = load_settings(IdentitySettings)
    prepare(settings, args.role)
    create_identity_schema(settings.database_url)
    with ConnectionPool(
        settings.database_url, min_size=1, max_size=8, timeout=settings.db_pool_timeout_seconds
    ) as pool:
        ctx = build_context(settings, pool)
        if args.role == "relay":
            _relay_and_assemble(settings, ctx)
            return 0
        if args.role == "api":
            servicer = DirectoryServicer(ctx)
            serve_api(
                settings,
                build_app(settings, ctx),
                servicers=[
                    (directory_rpc.add_DirectoryServicer_to_server, servicer),
                    subject_export_servicer(
                        "identity", pool, lambda _conn, t, a: identity_part(ctx, t, a)
                    ),
                ],
                interceptors=[ServiceTokenServerInterceptor(verifier_from_settings(settings))],
                readiness_checks=readiness_checks(settings),
            )
            return 0
        if args.role == "seed-demo":
            return _seed_demo(ctx)
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("password for the new operator: ")
        try:
            account_id = accounts.register_account(
                ctx,
                OPERATORS_TENANT,
                "operator",
                Contact(args.name, args.email),
                password,
                EventMetadata(actor="cli:create-operator"),
                registered_by="cli",
            )
        except InvalidInput as error:
            print("refused:", *error.problems, sep="\n  ", file=sys.stderr)
            return 2
        print(f"operator {account_id} created in tenant {OPERATORS_TENANT!r}")
    return 0


def _relay_and_assemble(settings: IdentitySettings, ctx: IdentityContext) -> None:
    """The relay, with the subject access exports' assembly beside it (the relay is identity's
    one always-running worker; the api stays free of long jobs)."""
    signer = signer_from_settings(settings)
    if signer is None:
        raise SystemExit("identity's relay needs SNP_SERVICE_SIGNING_KEY to gather exports")
    tls = grpc_tls(settings)
    clients = {
        name: SubjectExportClient(name, target, signer, tls=tls)
        for name, target in settings.export_targets().items()
    }
    stop = threading.Event()
    assembly = threading.Thread(
        target=Assembler(ctx, clients).run, args=(stop,), name="subject-exports", daemon=True
    )
    assembly.start()
    try:
        serve_relay(settings, ctx.pool)
    finally:
        stop.set()
        assembly.join(timeout=10)
        for client in clients.values():
            client.close()


def _seed_demo(ctx: IdentityContext) -> int:
    """Make what is missing of the demo tenant; print every sign-in (the same on each run)."""
    demo_seed = os.environ.get("SNP_DEMO_SEED", "")
    try:
        made, changed = demo.seed(ctx, demo_seed)
    except InvalidInput as error:
        print("refused:", *error.problems, sep="\n  ", file=sys.stderr)
        return 2
    print(
        "Demo accounts (password, then the TOTP code from the secret; e.g. `oathtool --totp"
        " -b SECRET`):"
    )
    for account in made:
        print(
            f"  {account.kind:<17} tenant {account.tenant:<9} {account.email:<32}"
            f" password {account.password}  totp secret {account.totp_secret}"
        )
    for account in changed:
        print(
            f"  {account.kind:<17} tenant {account.tenant:<9} {account.email:<32}"
            " (its password was changed since the demo seed made it)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
