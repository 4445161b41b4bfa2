"""The background job that assembles subject access exports (in identity's relay role): it asks
each service for its part over gRPC, keeps each part sealed as it arrives (so the progress shows
and a restart resumes), and once all are in makes the ZIP, seals it and records it done. A
service that cannot answer now is asked again on the next round: a large history waits, it
never times out the request."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters import records, subject_exports
from snp_identity.adapters.subject_exports import ExportRow
from snp_identity.domain.subject_access import KEPT_FOR, zip_of
from snp_identity.service_layer.context import IdentityContext
from snp_identity.service_layer.directory import display_contact
from snp_identity.service_layer.disclosures import disclosures_page
from snp_identity.service_layer.subject_exports import export_stream, part_aad, zip_cipher
from snp_platform.eventstore import ANY_VERSION, EventMetadata
from snp_platform.logging import get_logger
from snp_platform.sealing import new_salt, open_text, seal_text
from snp_platform.subject_export import ExportUnavailable, as_json

_log = get_logger(__name__)


class Exporter(Protocol):
    """One service's `ExportSubject` (snp_platform.subject_export.SubjectExportClient)."""

    def export(self, tenant: str, account_id: str) -> bytes: ...


def identity_part(ctx: IdentityContext, tenant: str, account_id: str) -> dict[str, Any]:
    """The account's record as identity holds it: never its password hash or TOTP secret."""
    with ctx.pool.connection() as conn:
        row = records.find_account(conn, tenant, account_id)
    contact = display_contact(ctx, tenant, account_id)
    if row is None or contact is None:
        return {}
    releases = disclosures_page(ctx, tenant, account_id, None, 100)["disclosures"]
    return {
        "account_id": row.account_id,
        "tenant": row.tenant,
        "kind": row.kind,
        "status": row.status,
        "display_name": contact.display_name,
        "email": contact.email,
        "phone": contact.phone or None,
        "authenticator": row.totp,
        "roles": row.roles,
        "agency_id": row.agency_id,
        "contact_releases": releases,
    }


class Assembler:
    """Moves every assembling export on by what the services can give now."""

    def __init__(
        self,
        ctx: IdentityContext,
        exporters: Mapping[str, Exporter],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._ctx, self._exporters, self._clock = ctx, exporters, clock

    def run(self, stop: threading.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:  # a bad round must not end the relay beside it
                _log.exception("subject export round failed")
            stop.wait(interval)

    def run_once(self) -> int:
        """One round; how many exports it completed."""
        self._expire()
        with self._ctx.pool.connection() as conn:
            waiting = subject_exports.assembling(conn)
        return sum(self._advance(row) for row in waiting)

    def _expire(self) -> None:
        """Forget the ZIPs whose time is over, each with its `SubjectExportExpired`, in one
        transaction: no ZIP is forgotten without its event, nor an event kept for bytes kept."""
        metadata = EventMetadata(actor="identity:subject-export")
        with self._ctx.pool.connection() as conn, conn.transaction():
            expired = subject_exports.expire_due(conn)
            for tenant, export_id, account_id in expired:
                event = pb.SubjectExportExpired(export_id=export_id, account_id=account_id)
                stream = export_stream(tenant, export_id)
                self._ctx.streams.append(stream, [event], ANY_VERSION, metadata, conn=conn)
        if expired:
            _log.info("subject exports expired", count=len(expired))

    def _advance(self, row: ExportRow) -> bool:
        with self._ctx.pool.connection() as conn:
            wrapped = records.wrapped_data_key(conn, row.account_id)
            if wrapped is None:  # erased meanwhile: there is no one to give a copy to
                subject_exports.forget(conn, row.export_id)
                return False
            have = subject_exports.parts(conn, row.export_id)
        key = self._ctx.keks.unwrap(wrapped)
        for service in row.services:
            if service in have:
                continue
            try:
                part = self._part(service, row)
            except ExportUnavailable as error:
                with self._ctx.pool.connection() as conn:
                    subject_exports.note_error(conn, row.export_id, str(error))
                continue
            sealed = seal_text(key, part, part_aad(row.tenant, row.export_id, service))
            with self._ctx.pool.connection() as conn:
                subject_exports.save_part(conn, row.export_id, service, sealed)
            have[service] = sealed
        if any(service not in have for service in row.services):
            return False
        return self._complete(row, key)

    def _part(self, service: str, row: ExportRow) -> str:
        if service == "identity":
            return as_json(identity_part(self._ctx, row.tenant, row.account_id)).decode()
        exporter = self._exporters.get(service)
        if exporter is None:
            raise ExportUnavailable(f"{service}: identity has no client for it")
        return exporter.export(row.tenant, row.account_id).decode()

    def _complete(self, row: ExportRow, key: bytes) -> bool:
        expires_at = self._clock() + KEPT_FOR
        with self._ctx.pool.connection() as conn, conn.transaction():
            if not subject_exports.lock_assembling(conn, row.export_id):
                return False  # another relay is completing it
            parts = {
                service: json.loads(
                    open_text(key, sealed, part_aad(row.tenant, row.export_id, service))
                )
                for service, sealed in subject_exports.parts(conn, row.export_id).items()
            }
            data = zip_of(parts, row.requested_at.isoformat(timespec="minutes"))
            salt = new_salt()
            sealed_zip = zip_cipher(key, salt, row.tenant, row.export_id).seal(0, data, last=True)
            done = pb.SubjectExportCompleted(
                export_id=row.export_id,
                account_id=row.account_id,
                size_bytes=len(data),
                sha256=_sha256(data),
                expires_at=int(expires_at.timestamp()),
            )
            metadata = EventMetadata(actor="identity:subject-export")
            stream = export_stream(row.tenant, row.export_id)
            self._ctx.streams.append(stream, [done], ANY_VERSION, metadata, conn=conn)
            subject_exports.save_zip(conn, row.export_id, salt, sealed_zip, expires_at)
        _log.info("subject export ready", export_id=row.export_id)
        return True


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
