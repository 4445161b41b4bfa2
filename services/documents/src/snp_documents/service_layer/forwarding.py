"""Forwarding a document to one of its group's mailing lists: a `DocumentForwarded` event that
messaging turns into notifications. Only ids and the sealed title travel; never contents.

A forward is refused when some of the list's members could not open the document (an `officers`
document to a list of members): the policy is asked, once per distinct set of group roles among
the recipients (the document rules look at roles, not at who the account is).
"""

from __future__ import annotations

from typing import Any

from snp_documents.adapters.event_streams import document_stream
from snp_documents.domain import documents as domain
from snp_documents.domain.documents import InvalidDocument
from snp_documents.service_layer.access import require
from snp_documents.service_layer.context import DocumentsContext, NotFound
from snp_documents.service_layer.mailing_lists import list_members
from snp_documents.service_layer.reading import READ, DocumentRow, find_document
from snp_platform.eventstore import EventMetadata
from snp_platform.tokens import Principal

FORWARD = "documents.document.forward"


def _unable_to_read(
    ctx: DocumentsContext, row: DocumentRow, roles: dict[str, tuple[str, ...]]
) -> list[str]:
    verdicts: dict[tuple[str, ...], bool] = {}
    for held in set(roles.values()):
        subject = {
            "id": "list-member",
            "kind": "member",  # only member accounts hold group roles that count
            "tenant": row.tenant,
            "mfa": False,
            "group_roles": {row.group_id: list(held)},
        }
        verdicts[held] = ctx.opa.decide(subject, READ, row.resource).allow
    return sorted(account for account, held in roles.items() if not verdicts[held])


def forward(
    ctx: DocumentsContext,
    principal: Principal,
    document_id: str,
    mailing_list_id: str,
    metadata: EventMetadata,
) -> dict[str, Any]:
    with ctx.pool.connection() as conn:
        row = find_document(conn, document_id)
        require(ctx, conn, principal, FORWARD, row.resource)
        found = conn.execute(
            "SELECT group_id FROM mailing_lists WHERE mailing_list_id = %s AND tenant = %s"
            " AND deleted_at IS NULL",
            (mailing_list_id, row.tenant),
        ).fetchone()
        if found is None:
            raise NotFound("no such mailing list")
        recipients = list_members(conn, mailing_list_id)
        held = conn.execute(
            "SELECT account_id, array_agg(role ORDER BY role) FROM group_roles"
            " WHERE group_id = %s AND account_id = ANY(%s) GROUP BY account_id",
            (row.group_id, recipients),
        ).fetchall()
    roles = {account: () for account in recipients} | {a: tuple(r) for a, r in held}
    unable = _unable_to_read(ctx, row, roles)
    if unable:
        raise InvalidDocument(
            f"{len(unable)} of the list's members may not read this document"
            f" (its audience is {row.audience})"
        )
    stream = document_stream(row.tenant, document_id)
    history, version = ctx.streams.load(stream)
    events = domain.forward(
        domain.fold(history), mailing_list_id, found[0], recipients, principal.account_id
    )
    ctx.streams.append(stream, events, version, metadata)
    return {
        "document_id": document_id,
        "mailing_list_id": mailing_list_id,
        "recipient_account_ids": list(events[0].recipient_account_ids),  # type: ignore[attr-defined]
    }
