"""Documents' pure domain: titles, audiences, deletion, forwarding, mailing lists."""

from __future__ import annotations

import pytest

from snp.documents.v1 import events_pb2 as pb
from snp_documents.domain import documents, mailing_lists
from snp_documents.domain.documents import DocumentRuleBroken, InvalidDocument


def stored(document_id: str = "d1", group_id: str = "g1") -> pb.DocumentStored:
    return pb.DocumentStored(
        document_id=document_id,
        group_id=group_id,
        audience="members",
        title=pb.SealedText(ciphertext=b"sealed"),
    )


def test_titles_and_audiences_are_checked() -> None:
    assert documents.checked_title("  Minutes  ") == "Minutes"
    for bad in ("", "   ", "x" * 201, "bell\x07", "rtl\u202eoverride"):
        with pytest.raises(InvalidDocument):
            documents.checked_title(bad)
    assert documents.checked_audience("officers") == "officers"
    with pytest.raises(InvalidDocument):
        documents.checked_audience("police")


def test_a_document_is_deleted_once() -> None:
    document = documents.fold([stored()])
    [deleted] = documents.delete(document, "acct-chair")
    assert isinstance(deleted, pb.DocumentDeleted) and deleted.deleted_by == "acct-chair"
    with pytest.raises(DocumentRuleBroken):
        documents.delete(documents.fold([stored(), deleted]), "acct-chair")
    with pytest.raises(DocumentRuleBroken):
        documents.delete(None, "acct-chair")


def test_forwarding_carries_ids_and_the_sealed_title_only() -> None:
    [event] = documents.forward(documents.fold([stored()]), "l1", "g1", ["b", "a", "b"], "chair")
    assert isinstance(event, pb.DocumentForwarded)
    assert list(event.recipient_account_ids) == ["a", "b"]
    assert event.title.ciphertext == b"sealed" and event.mailing_list_id == "l1"
    with pytest.raises(InvalidDocument):  # another group's list
        documents.forward(documents.fold([stored()]), "l1", "g2", ["a"], "chair")
    with pytest.raises(InvalidDocument):
        documents.forward(documents.fold([stored()]), "l1", "g1", [], "chair")


def test_mailing_lists_hold_current_members_only() -> None:
    current = {"a", "b", "c"}
    [created] = mailing_lists.create("l1", "g1", b"name", ["b", "a"], current, "chair")
    assert isinstance(created, pb.MailingListCreated)
    assert list(created.member_account_ids) == ["a", "b"]
    with pytest.raises(InvalidDocument):
        mailing_lists.create("l1", "g1", b"name", ["a", "stranger"], current, "chair")
    state = mailing_lists.fold([created])
    assert state is not None and state.members == {"a", "b"}
    [removed] = mailing_lists.member_left_group(state, "a")
    assert mailing_lists.fold([created, removed]).members == {"b"}  # type: ignore[union-attr]
    assert mailing_lists.member_left_group(state, "c") == []
    [replaced] = mailing_lists.replace_members(state, ["c"], current, "chair")
    assert mailing_lists.fold([created, replaced]).members == {"c"}  # type: ignore[union-attr]
    with pytest.raises(InvalidDocument):
        mailing_lists.checked_name("")
