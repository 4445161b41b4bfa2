"""Which group each mailing list belongs to and who is on it, from documents' events: what a
message to a mailing list is checked against and reaches. The list's name stays sealed in
documents (messaging never holds a group key), so a message names the group instead. Rebuild
it from the operator's console, or with `snp-events projection rebuild --projection
snp_messaging.adapters.mailing_lists:MailingListsProjection --from kafka --topic
snp.documents.events`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from snp.documents.v1 import events_pb2 as documents
from snp.v1.envelope_pb2 import EventEnvelope

Conn = psycopg.Connection[Any]
_TYPES = {
    f"documents.{m.DESCRIPTOR.name}": m
    for m in (
        documents.MailingListCreated,
        documents.MailingListMembersReplaced,
        documents.MailingListMemberRemoved,
        documents.MailingListDeleted,
    )
}


@dataclass(frozen=True)
class MailingList:
    list_id: str
    tenant: str
    group_id: str


class MailingListsProjection:
    name = "messaging.mailing-lists"
    event_types = tuple(_TYPES)

    def reset(self, conn: Conn) -> None:
        conn.execute("DELETE FROM mailing_lists")
        conn.execute("DELETE FROM mailing_list_members")

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        message_type = _TYPES.get(envelope.event_type)
        if message_type is None:
            return
        event = message_type.FromString(envelope.payload)
        list_id, tenant = event.mailing_list_id, envelope.tenant
        if isinstance(event, documents.MailingListCreated):
            conn.execute(
                "INSERT INTO mailing_lists (list_id, tenant, group_id) VALUES (%s, %s, %s)"
                " ON CONFLICT (list_id) DO NOTHING",
                (list_id, tenant, event.group_id),
            )
            _replace_members(conn, tenant, list_id, list(event.member_account_ids))
        elif isinstance(event, documents.MailingListMembersReplaced):
            _replace_members(conn, tenant, list_id, list(event.member_account_ids))
        elif isinstance(event, documents.MailingListMemberRemoved):
            conn.execute(
                "DELETE FROM mailing_list_members WHERE list_id = %s AND account_id = %s",
                (list_id, event.account_id),
            )
        else:  # MailingListDeleted
            conn.execute("DELETE FROM mailing_list_members WHERE list_id = %s", (list_id,))
            conn.execute("DELETE FROM mailing_lists WHERE list_id = %s", (list_id,))


def _replace_members(conn: Conn, tenant: str, list_id: str, members: list[str]) -> None:
    conn.execute("DELETE FROM mailing_list_members WHERE list_id = %s", (list_id,))
    conn.execute(
        "INSERT INTO mailing_list_members (tenant, list_id, account_id)"
        " SELECT %s, %s, unnest(%s::text[]) ON CONFLICT DO NOTHING",
        (tenant, list_id, members),
    )


def find_mailing_list(conn: Conn, list_id: str) -> MailingList | None:
    row = conn.execute(
        "SELECT list_id, tenant, group_id FROM mailing_lists WHERE list_id = %s", (list_id,)
    ).fetchone()
    return None if row is None else MailingList(*row)
