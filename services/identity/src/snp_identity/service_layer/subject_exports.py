"""A copy of all my data: the request (an event), the progress, and the download. The parts are
gathered in the background by `assembly.py`; everything at rest is sealed under the account's
own data key, so erasing the account shreds its copies as well."""

from __future__ import annotations

import uuid
from typing import Any

from snp.identity.v1 import events_pb2 as pb
from snp_identity.adapters import records, subject_exports
from snp_identity.adapters.event_streams import SERVICE
from snp_identity.adapters.subject_exports import ExportRow
from snp_identity.domain.subject_access import SERVICES
from snp_identity.service_layer.context import IdentityContext, NotFound
from snp_platform.eventstore import NO_STREAM, EventMetadata, Stream
from snp_platform.sealing import ContentCipher

_ZIP_INFO = b"snp-identity/subject-export/v1"


def export_stream(tenant: str, export_id: str) -> Stream:
    return Stream(tenant, f"subject-export:{export_id}")


def zip_cipher(data_key: bytes, salt: bytes, tenant: str, export_id: str) -> ContentCipher:
    """The ZIP is sealed as one segment, bound to its tenant and export."""
    aad = f"{SERVICE}/{tenant}/subject-export/{export_id}".encode()
    return ContentCipher(data_key, salt, aad, info=_ZIP_INFO)


def part_aad(tenant: str, export_id: str, service: str) -> bytes:
    return f"{SERVICE}/{tenant}/subject-export/{export_id}/{service}".encode()


def request_export(
    ctx: IdentityContext, tenant: str, account_id: str, metadata: EventMetadata
) -> str:
    """Record the request (`SubjectExportRequested`) and its row in one transaction. While
    a copy is being put together, asking again gives that one: each copy asks every service
    for everything, so a repeated click must not multiply the work."""
    with ctx.pool.connection() as conn:
        waiting = [
            r
            for r in subject_exports.of_account(conn, tenant, account_id)
            if r.status == "assembling"
        ]
    if waiting:
        return waiting[0].export_id
    export_id = str(uuid.uuid4())
    event = pb.SubjectExportRequested(
        export_id=export_id, account_id=account_id, services=list(SERVICES)
    )
    with ctx.pool.connection() as conn, conn.transaction():
        ctx.streams.append(
            export_stream(tenant, export_id), [event], NO_STREAM, metadata, conn=conn
        )
        subject_exports.save_request(conn, export_id, tenant, account_id, list(SERVICES))
    return export_id


def find_export(ctx: IdentityContext, tenant: str, export_id: str) -> ExportRow:
    with ctx.pool.connection() as conn:
        row = subject_exports.find(conn, tenant, export_id)
    if row is None:
        raise NotFound(export_id)
    return row


def progress(row: ExportRow) -> dict[str, Any]:
    return {
        "export_id": row.export_id,
        "status": row.status,
        "services_done": row.done,
        "services_total": len(row.services),
        "requested_at": row.requested_at.isoformat(),
        "completed_at": row.completed_at.isoformat() if row.completed_at else None,
        "expires_at": row.expires_at.isoformat() if row.expires_at else None,
    }


def opened_zip(ctx: IdentityContext, row: ExportRow) -> bytes:
    """The ZIP of a ready export (NotFound when it is not ready, expired or shredded)."""
    with ctx.pool.connection() as conn:
        stored = subject_exports.sealed_zip(conn, row.export_id)
        wrapped = records.wrapped_data_key(conn, row.account_id)
    if stored is None or wrapped is None:
        raise NotFound(row.export_id)
    salt, sealed = stored
    cipher = zip_cipher(ctx.keks.unwrap(wrapped), salt, row.tenant, row.export_id)
    return cipher.open(0, sealed, last=True)


def exports_of(ctx: IdentityContext, tenant: str, account_id: str) -> list[dict[str, Any]]:
    with ctx.pool.connection() as conn:
        return [progress(row) for row in subject_exports.of_account(conn, tenant, account_id)]
