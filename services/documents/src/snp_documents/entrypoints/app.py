"""Documents' web app: the platform plumbing, documents' routes, its errors as problems."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from psycopg_pool import ConnectionPool

from snp_documents.adapters.group_keys import GroupKeyMissing, GroupKeys
from snp_documents.adapters.multipart import UploadRefused
from snp_documents.adapters.sealing import DecryptionFailed
from snp_documents.domain.documents import DocumentRuleBroken, InvalidDocument
from snp_documents.entrypoints import routes_documents, routes_lists
from snp_documents.service_layer.context import DocumentsContext, NotFound
from snp_documents.settings import DocumentsSettings
from snp_platform.health import ReadinessCheck, kafka_check, opa_check, postgres_check
from snp_platform.http import create_app
from snp_platform.keywrap import ConfiguredKeks, KeyUnavailable, UnwrapFailed
from snp_platform.logging import get_logger
from snp_platform.opa import OpaClient
from snp_platform.problems import PROBLEM_TYPE_BASE, problem_response

_log = get_logger(__name__)


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
    return DocumentsContext(
        pool=pool,
        keys=GroupKeys(pool, keks),
        opa=OpaClient(settings.opa_url),
        max_document_bytes=settings.max_document_bytes,
        segment_bytes=settings.segment_bytes,
    )


def build_app(settings: DocumentsSettings, ctx: DocumentsContext) -> FastAPI:
    app = create_app(
        settings, readiness_checks(settings), routes_documents.router, routes_lists.router
    )
    app.state.documents = ctx
    _problems(app)
    return app


def _problems(app: FastAPI) -> None:
    @app.exception_handler(UploadRefused)
    async def refused(_request: Request, error: UploadRefused) -> JSONResponse:
        return problem_response(
            error.status, detail=error.detail, type_uri=PROBLEM_TYPE_BASE + "upload-refused"
        )

    @app.exception_handler(InvalidDocument)
    async def invalid(_request: Request, error: InvalidDocument) -> JSONResponse:
        return problem_response(
            422, detail=str(error), type_uri=PROBLEM_TYPE_BASE + "invalid-input"
        )

    @app.exception_handler(NotFound)
    async def missing(_request: Request, _error: NotFound) -> JSONResponse:
        return problem_response(
            404, detail="No such resource.", type_uri=PROBLEM_TYPE_BASE + "not-found"
        )

    @app.exception_handler(DocumentRuleBroken)
    async def conflict(_request: Request, error: DocumentRuleBroken) -> JSONResponse:
        return problem_response(409, detail=str(error), type_uri=PROBLEM_TYPE_BASE + "conflict")

    @app.exception_handler(DecryptionFailed)
    @app.exception_handler(UnwrapFailed)
    @app.exception_handler(KeyUnavailable)
    @app.exception_handler(GroupKeyMissing)
    async def integrity(_request: Request, error: Exception) -> JSONResponse:
        # Never a byte of what did not authenticate: the document is refused whole.
        _log.error("document_refused_integrity", error=type(error).__name__)
        return problem_response(
            500,
            detail="The document failed its integrity check and was not served.",
            type_uri=PROBLEM_TYPE_BASE + "document-integrity",
        )
