"""Forwarding a document to one of its group's mailing lists: a `DocumentForwarded` event that
messaging turns into notifications. Only ids and the sealed title travel; never contents.

A forward is refused when some of the list's members could not open the document (an `officers`
document to a list of members): the policy is asked, once per distinct set of group roles among
the recipients (the document rules look at roles, not at who the account is).
"""

from __future__ import annotations

from typing import Any

from snp_documents.adapters import read_models, roles
from snp_documents.adapters.event_streams import document_stream
from snp_documents.adapters.read_models import DocumentRow
from snp_documents.domain import documents as domain
from snp_documents.domain.documents import InvalidDocument
from snp_documents.service_layer.access import require, resource_of
from snp_documents.service_layer.context import DocumentsContext, NotFound
from snp_documents.service_layer.reading import READ, find_document
from snp_platform.eventstore import EventMetadata
from snp_platform.tokens import Principal

FORWARD = "documents.document.forward"


def _unable_to_read(
    ctx: DocumentsContext, row: DocumentRow, held_by: dict[str, tuple[str, ...]]
) -> list[str]:
    verdicts: dict[tuple[str, ...], bool] = {}
    for held in set(held_by.values()):
        subject = {
            "id": "list-member",
            "kind": "member",  # only member accounts hold group roles that count
            "tenant": row.tenant,
            "mfa": False,
            "group_roles": {row.group_id: list(held)},
        }
        verdicts[held] = ctx.opa.decide(subject, READ, resource_of(row)).allow
    return sorted(account for account, held in held_by.items() if not verdicts[held])


def forward(
    ctx: DocumentsContext,
    principal: Principal,
    document_id: str,
    mailing_list_id: str,
    metadata: EventMetadata,
) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        row = find_document(conn, document_id)
        require(ctx, conn, principal, FORWARD, resource_of(row))
        list_group_id = read_models.live_list_group(conn, row.tenant, mailing_list_id)
        if list_group_id is None:
            raise NotFound("no such mailing list")
        recipients = read_models.list_members(conn, mailing_list_id)
        held = roles.roles_in_group(conn, row.group_id, recipients)
    unable = _unable_to_read(ctx, row, {account: () for account in recipients} | held)
    if unable:
        raise InvalidDocument(
            f"{len(unable)} of the list's members may not read this document"
            f" (its audience is {row.audience})"
        )
    stream = document_stream(row.tenant, document_id)
    history, version = ctx.streams.load(stream)
    events = domain.forward(
        domain.fold(history), mailing_list_id, list_group_id, recipients, principal.account_id
    )
    ctx.streams.append(stream, events, version, metadata)
    return {
        "document_id": document_id,
        "mailing_list_id": mailing_list_id,
        "recipient_account_ids": list(events[0].recipient_account_ids),  # type: ignore[attr-defined]
    }
