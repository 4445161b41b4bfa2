"""The mailing list aggregate: a named subset of a group's current members. Pure: no I/O."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Set
from dataclasses import dataclass

from google.protobuf.message import Message

from snp.documents.v1 import events_pb2 as pb
from snp_documents.domain.documents import DocumentRuleBroken, InvalidDocument

MAX_NAME_CHARS = 100
MAX_MEMBERS = 5000


@dataclass(frozen=True)
class MailingList:
    mailing_list_id: str
    group_id: str
    members: frozenset[str]
    deleted: bool = False


def checked_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name).strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise InvalidDocument(f"a list name is 1 to {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in name):
        raise InvalidDocument("the list name holds control or unassigned characters")
    return name


def _checked_members(members: Iterable[str], current_members: Set[str]) -> list[str]:
    wanted = sorted(set(members))
    if len(wanted) > MAX_MEMBERS:
        raise InvalidDocument(f"a list holds at most {MAX_MEMBERS} members")
    outsiders = [m for m in wanted if m not in current_members]
    if outsiders:
        raise InvalidDocument(
            f"{len(outsiders)} of the accounts are not current members of the group"
        )
    return wanted


def fold(events: Iterable[Message]) -> MailingList | None:
    state: MailingList | None = None
    for event in events:
        if isinstance(event, pb.MailingListCreated):
            state = MailingList(
                event.mailing_list_id, event.group_id, frozenset(event.member_account_ids)
            )
        elif state is None:
            continue
        elif isinstance(event, pb.MailingListMembersReplaced):
            state = MailingList(
                state.mailing_list_id, state.group_id, frozenset(event.member_account_ids)
            )
        elif isinstance(event, pb.MailingListMemberRemoved):
            state = MailingList(
                state.mailing_list_id, state.group_id, state.members - {event.account_id}
            )
        elif isinstance(event, pb.MailingListDeleted):
            state = MailingList(state.mailing_list_id, state.group_id, state.members, True)
    return state


def create(
    mailing_list_id: str,
    group_id: str,
    sealed_name: bytes,
    members: Iterable[str],
    current_members: Set[str],
    created_by: str,
) -> list[Message]:
    return [
        pb.MailingListCreated(
            mailing_list_id=mailing_list_id,
            group_id=group_id,
            name=pb.SealedText(ciphertext=sealed_name),
            member_account_ids=_checked_members(members, current_members),
            created_by=created_by,
        )
    ]


def replace_members(
    state: MailingList | None, members: Iterable[str], current_members: Set[str], by: str
) -> list[Message]:
    if state is None or state.deleted:
        raise DocumentRuleBroken("the mailing list does not exist or was deleted")
    return [
        pb.MailingListMembersReplaced(
            mailing_list_id=state.mailing_list_id,
            group_id=state.group_id,
            member_account_ids=_checked_members(members, current_members),
            changed_by=by,
        )
    ]


def member_left_group(state: MailingList | None, account_id: str) -> list[Message]:
    """A member who leaves the group leaves the list (nothing when not on it)."""
    if state is None or state.deleted or account_id not in state.members:
        return []
    return [
        pb.MailingListMemberRemoved(
            mailing_list_id=state.mailing_list_id,
            group_id=state.group_id,
            account_id=account_id,
            reason="left_group",
        )
    ]


def delete(state: MailingList | None, by: str) -> list[Message]:
    if state is None or state.deleted:
        raise DocumentRuleBroken("the mailing list does not exist or was deleted")
    return [
        pb.MailingListDeleted(
            mailing_list_id=state.mailing_list_id, group_id=state.group_id, deleted_by=by
        )
    ]
