"""The export over gRPC (server streaming) for bulk use: the same lines as `GET /audit/export`.

Auditors are people, not services: the call carries their access token, verified like a REST
request's, and the policy decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc

from snp.audit.v1 import export_pb2 as pb
from snp.audit.v1 import export_pb2_grpc as rpc
from snp_audit.entrypoints.dependencies import AuditContext, log_resource
from snp_audit.service_layer.export import NothingToExport, export_lines
from snp_platform.authz import subject_of
from snp_platform.opa import OpaClient
from snp_platform.tokens import InvalidToken, JwksUnavailable, Principal, TokenVerifier


class AuditExportServicer(rpc.AuditExportServicer):  # type: ignore[misc]
    def __init__(self, ctx: AuditContext, verifier: TokenVerifier, opa: OpaClient) -> None:
        self._ctx = ctx
        self._verifier = verifier
        self._opa = opa

    def _caller(self, context: grpc.ServicerContext) -> Principal:
        metadata = dict(context.invocation_metadata() or ())
        scheme, _, token = str(metadata.get("authorization", "")).partition(" ")
        if scheme.lower() != "bearer" or not token:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "a bearer access token is required")
        try:
            return self._verifier.verify(token)
        except (InvalidToken, JwksUnavailable):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "the access token is not valid")
        raise AssertionError("unreachable")  # abort raises

    def Export(self, request: Any, context: grpc.ServicerContext) -> Iterator[pb.ExportLine]:
        who = self._caller(context)
        decision = self._opa.decide(
            subject_of(who), "audit.events.export", log_resource(who.tenant)
        )
        if not decision.allow:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "exporting the log is not allowed")
        since = int(request.since_size) or None
        with self._ctx.pool.connection() as conn:
            try:
                lines = export_lines(
                    conn, who.tenant, self._ctx.signer.public_key_text(), request.from_index, since
                )
            except NothingToExport as error:
                context.abort(grpc.StatusCode.NOT_FOUND, str(error))
            for line in lines:
                yield pb.ExportLine(json=line.rstrip("\n"))
