"""Documents' web app: the platform plumbing, documents' routes, its errors as problems."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from psycopg_pool import ConnectionPool

from snp_documents.adapters.group_keys import GroupKeyMissing, GroupKeys
from snp_documents.adapters.multipart import UploadRefused
from snp_documents.adapters.sealing import DecryptionFailed
from snp_documents.domain.documents import DocumentRuleBroken, InvalidDocument
from snp_documents.entrypoints import routes_documents, routes_lists
from snp_documents.entrypoints.consumer import CONSUMER_GROUP, TOPICS, rebuildable
from snp_documents.service_layer.context import DocumentsContext, NotFound
from snp_documents.settings import DocumentsSettings
from snp_platform.directory import IdentityDisplayNames
from snp_platform.grpc_tls import grpc_tls
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app
from snp_platform.keywrap import ConfiguredKeks, KeyUnavailable, UnwrapFailed
from snp_platform.logging import get_logger
from snp_platform.opa import OpaClient
from snp_platform.ops_routes import ops_router
from snp_platform.problems import ErrorProblem, ErrorTable, add_error_problems, error_message
from snp_platform.service_auth import signer_from_settings

_log = get_logger(__name__)


_INTEGRITY = "The document failed its integrity check and was not served."
# Documents' own exceptions as problem documents (the platform's are answered by create_app).
PROBLEMS: ErrorTable = {
    UploadRefused: ErrorProblem(
        lambda error: error.status, "upload-refused", lambda error: error.detail
    ),
    InvalidDocument: ErrorProblem(422, "invalid-input", error_message),
    NotFound: ErrorProblem(404, "not-found", "No such resource."),
    DocumentRuleBroken: ErrorProblem(409, "conflict", error_message),
    # Never a byte of what did not authenticate: the document is refused whole.
    (DecryptionFailed, UnwrapFailed, KeyUnavailable, GroupKeyMissing): ErrorProblem(
        500, "document-integrity", _INTEGRITY, log="document_refused_integrity"
    ),
}


def readiness_checks(settings: DocumentsSettings) -> dict[str, ReadinessCheck]:
    return {
        "postgres": postgres_check(settings.database_url),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "opa": opa_check(settings.opa_url),
    }


def build_context(settings: DocumentsSettings, pool: ConnectionPool[Any]) -> DocumentsContext:
    if not settings.document_keks.get_secret_value():
        raise SystemExit("documents needs SNP_DOCUMENT_KEKS (see docs/documents.md)")
    keks = ConfiguredKeks.from_config(settings.document_keks.get_secret_value())
    signer = signer_from_settings(settings)
    if signer is None:
        raise SystemExit("documents needs SNP_SERVICE_SIGNING_KEY to ask identity for names")
    directory = IdentityDisplayNames(
        settings.identity_grpc_target,
        signer,
        settings.directory_timeout_seconds,
        tls=grpc_tls(settings),
    )
    return DocumentsContext(
        pool=pool,
        keys=GroupKeys(pool, keks),
        opa=OpaClient(settings.opa_url),
        max_document_bytes=settings.max_document_bytes,
        segment_bytes=settings.segment_bytes,
        directory=directory,
    )


def _ops_access(request: Request) -> tuple[ConnectionPool[Any], OpaClient]:
    ctx = request.app.state.documents
    return ctx.pool, ctx.opa


def build_app(settings: DocumentsSettings, ctx: DocumentsContext) -> FastAPI:
    ops = ops_router("documents", _ops_access, {CONSUMER_GROUP: TOPICS}, projections=rebuildable())
    app = create_app(
        settings, readiness_checks(settings), routes_documents.router, routes_lists.router, ops
    )
    app.state.documents = ctx
    add_error_problems(app, PROBLEMS, _log)
    return app
