"""`snp-audit api|consumer|verify|public-key|self-check|sign-checkpoints`.

api               REST and gRPC; signs checkpoints and re-verifies the log in the background
consumer          every `snp.*.events` topic into the tenants' logs
verify FILE       check an export offline (no database, no network): exit 0 intact, 1 not
public-key        print the key that checks checkpoints (from the configured signing key)
self-check        re-verify every tenant's log in the database now (exit 1 on tampering)
sign-checkpoints  sign every tenant's due checkpoint now
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from psycopg_pool import ConnectionPool

from snp.audit.v1 import export_pb2_grpc as export_rpc
from snp_audit.adapters import subject_export
from snp_audit.adapters.schema import create_audit_schema
from snp_audit.adapters.signing import CheckpointSigner, CheckpointVerifier
from snp_audit.entrypoints.app import build_app, readiness_checks
from snp_audit.entrypoints.consumer import subscriptions
from snp_audit.entrypoints.dependencies import AuditContext
from snp_audit.entrypoints.grpc_export import AuditExportServicer
from snp_audit.entrypoints.verify_cli import add_verify_arguments, run_verify
from snp_audit.service_layer import checkpoints, self_check
from snp_audit.settings import AuditSettings
from snp_platform.opa import OpaClient
from snp_platform.runtime import prepare, serve_api, serve_consumer
from snp_platform.service_auth import (
    HEALTH_METHODS,
    ServiceTokenServerInterceptor,
    verifier_from_settings,
)
from snp_platform.settings import load_settings
from snp_platform.subject_export import subject_export_servicer
from snp_platform.tokens import TokenVerifier


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="snp-audit", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    commands = parser.add_subparsers(dest="role", required=True)
    commands.add_parser("api", help="REST and gRPC, checkpoint signing, self-check")
    commands.add_parser("consumer", help="every service's events into the log")
    add_verify_arguments(commands.add_parser("verify", help="check an export offline"))
    commands.add_parser("public-key", help="print the checkpoints' public key")
    commands.add_parser("self-check", help="re-verify every tenant's log now")
    commands.add_parser("sign-checkpoints", help="sign due checkpoints now")
    args = parser.parse_args(argv)
    if args.role == "verify":  # offline: no settings, no database
        return run_verify(args)
    settings = load_settings(AuditSettings)
    if not settings.audit_signing_key.get_secret_value():
        raise SystemExit("audit needs SNP_AUDIT_SIGNING_KEY (see docs/audit.md)")
    signer = CheckpointSigner(settings.audit_signing_key.get_secret_value())
    if args.role == "public-key":
        print(signer.public_key_text())
        return 0
    prepare(settings, args.role)
    create_audit_schema(settings.database_url)
    with ConnectionPool(
        settings.database_url, min_size=1, max_size=8, timeout=settings.db_pool_timeout_seconds
    ) as pool:
        if args.role == "consumer":
            serve_consumer(settings, pool, subscriptions(settings.consumer_group))
            return 0
        verify = CheckpointVerifier(signer.public_key)
        if args.role == "self-check":
            results = self_check.check_all(pool, verify)
            for tenant, failure in results.items():
                print(f"{tenant}: {'intact' if failure is None else failure}")
            return 0 if all(f is None for f in results.values()) else 1
        if args.role == "sign-checkpoints":
            for made in checkpoints.sign_due(pool, signer):
                print(f"{made.tenant}: checkpoint at {made.tree_size}")
            return 0
        _serve(settings, pool, signer, verify)
    return 0


_AUDITORS_EXPORT = "/snp.audit.v1.AuditExport/Export"


def _serve(
    settings: AuditSettings,
    pool: ConnectionPool[Any],
    signer: CheckpointSigner,
    verify: CheckpointVerifier,
) -> None:
    opa = OpaClient(settings.opa_url)
    ctx = AuditContext(pool, signer, opa, settings.kafka_bootstrap, settings.consumer_group)
    app = build_app(settings, ctx)
    stop = threading.Event()
    signing = threading.Thread(
        target=checkpoints.run_signer,
        args=(pool, signer, settings.checkpoint_interval_seconds, stop),
        daemon=True,
    )
    checking = threading.Thread(
        target=self_check.run_self_check,
        args=(pool, verify, settings.self_check_interval_seconds, stop, app.state.self_check),
        daemon=True,
    )
    signing.start()
    checking.start()
    tokens = TokenVerifier(settings.jwks_url, settings.token_issuer, settings.token_leeway_seconds)
    servicer = AuditExportServicer(ctx, tokens, opa)
    try:
        serve_api(
            settings,
            app,
            servicers=[
                (export_rpc.add_AuditExportServicer_to_server, servicer),
                subject_export_servicer("audit", pool, subject_export.subject_part),
            ],
            # The auditors' export carries their own access token (the policy decides); every
            # other method is for services only, so it takes a service token.
            interceptors=[
                ServiceTokenServerInterceptor(
                    verifier_from_settings(settings), HEALTH_METHODS | {_AUDITORS_EXPORT}
                )
            ],
            readiness_checks=readiness_checks(settings),
        )
    finally:
        stop.set()


if __name__ == "__main__":
    sys.exit(main())
