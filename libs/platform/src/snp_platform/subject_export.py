"""A subject access export over gRPC (`snp.v1.SubjectExport`): each service's side and identity's
client. A service only says what it holds (`collect`, SQL in its adapters); this module checks
the caller, runs it in one read-only transaction and encodes the answer as JSON."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import grpc
import psycopg
from psycopg_pool import ConnectionPool

from snp.v1 import subject_export_pb2 as pb
from snp.v1 import subject_export_pb2_grpc as rpc
from snp_platform.grpc_server import ServicerRegistration
from snp_platform.grpc_tls import GrpcTls, service_channel
from snp_platform.service_auth import ServiceTokenSigner, authenticated_caller

# Only identity assembles the copy; any other trusted service asking is refused, so a
# compromised peer cannot read everything a service holds about a person.
EXPORTER = "identity"
Collect = Callable[[psycopg.Connection[Any], str, str], dict[str, Any]]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        raise TypeError("sealed bytes never go into an export: open them first")
    raise TypeError(f"{type(value).__name__} is not JSON")


def as_json(part: dict[str, Any]) -> bytes:
    """A service's part as UTF-8 JSON (times as ISO 8601, ids as text)."""
    return json.dumps(part, default=_plain, ensure_ascii=False, indent=2).encode()


class SubjectExportServicer(rpc.SubjectExportServicer):  # type: ignore[misc]
    """Answers `ExportSubject` with `collect(conn, tenant, account_id)` of this service."""

    def __init__(self, service: str, pool: ConnectionPool[Any], collect: Collect) -> None:
        self._service, self._pool, self._collect = service, pool, collect

    def ExportSubject(
        self, request: pb.ExportSubjectRequest, context: grpc.ServicerContext
    ) -> pb.ExportSubjectResponse:
        caller = authenticated_caller()
        if caller is None:  # the interceptor lets no anonymous call through; never rely on it
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "service credentials required")
        if caller != EXPORTER:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "only identity asks for exports")
        if not request.tenant or not request.account_id:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "tenant and account_id are required")
        with self._pool.connection() as conn:
            conn.read_only = True  # one snapshot of what is held, and certainly no writes
            try:
                part = self._collect(conn, request.tenant, request.account_id)
            finally:
                conn.rollback()
                conn.read_only = False  # the pooled connection goes back as it came
        return pb.ExportSubjectResponse(service=self._service, json=as_json(part))


def subject_export_servicer(
    service: str, pool: ConnectionPool[Any], collect: Collect
) -> ServicerRegistration:
    """The registration for `serve_api(servicers=[...])`."""
    return (rpc.add_SubjectExportServicer_to_server, SubjectExportServicer(service, pool, collect))


class ExportUnavailable(Exception):
    """A service could not give its part now (the job tries again later)."""


class SubjectExportClient:
    """Identity's client of one service's `ExportSubject`."""

    def __init__(
        self,
        service: str,
        target: str,
        signer: ServiceTokenSigner,
        timeout: float = 30.0,
        tls: GrpcTls | None = None,
    ) -> None:
        self.service = service
        self._channel = service_channel(target, signer, service, tls)
        self._stub = rpc.SubjectExportStub(self._channel)
        self._timeout = timeout

    def export(self, tenant: str, account_id: str) -> bytes:
        """The service's part as JSON bytes; ExportUnavailable when it cannot be asked."""
        request = pb.ExportSubjectRequest(tenant=tenant, account_id=account_id)
        try:
            answer = self._stub.ExportSubject(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise ExportUnavailable(f"{self.service}: {error.code()}") from error
        return bytes(answer.json)

    def close(self) -> None:
        self._channel.close()
