"""Documents' part of a subject access export: the metadata (never the contents) of each
document the account stored, and the mailing lists it is on, opened under their group keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from snp_documents.adapters import subject_export as rows
from snp_documents.adapters.group_keys import GroupKeys
from snp_documents.adapters.sealing import open_text, text_aad
from snp_documents.service_layer.reading import describe

Conn = psycopg.Connection[Any]


def subject_part(keys: GroupKeys) -> Callable[[Conn, str, str], dict[str, Any]]:
    """The `collect` of documents' ExportSubject, with the group keys it opens names with."""

    def collect(conn: Conn, tenant: str, account_id: str) -> dict[str, Any]:
        opened: dict[str, bytes] = {}

        def key(group_id: str) -> bytes:
            if group_id not in opened:
                opened[group_id] = keys.key(conn, group_id)
            return opened[group_id]

        documents = [
            describe(row, key(row.group_id))
            for row in rows.documents_stored_by(conn, tenant, account_id)
        ]
        lists = [
            {
                "mailing_list_id": list_id,
                "group_id": group_id,
                "name": open_text(
                    key(group_id), sealed, text_aad(tenant, group_id, list_id, "list-name")
                ),
            }
            for list_id, group_id, sealed in rows.lists_holding_account(conn, tenant, account_id)
        ]
        return {"documents_uploaded": documents, "mailing_lists": lists}

    return collect
