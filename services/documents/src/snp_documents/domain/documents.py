"""The document aggregate: what may be stored, deleted and forwarded. Pure: no I/O.

Sealing (encryption) happens in adapters; the domain receives titles and names already sealed,
and checks the plain text before it is sealed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from google.protobuf.message import Message

from snp.documents.v1 import events_pb2 as pb

AUDIENCES = ("officers", "members")
MAX_TITLE_CHARS = 200


class DocumentRuleBroken(Exception):
    """A command the document's state does not allow (answered 409)."""


class InvalidDocument(ValueError):
    """Input that breaks a rule the caller can fix (answered 422)."""


def checked_title(title: str) -> str:
    """The title, trimmed; InvalidDocument when empty, too long or holding control characters."""
    title = unicodedata.normalize("NFC", title).strip()
    if not title:
        raise InvalidDocument("a title is required")
    if len(title) > MAX_TITLE_CHARS:
        raise InvalidDocument(f"the title is longer than {MAX_TITLE_CHARS} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in title):
        raise InvalidDocument("the title holds control or unassigned characters")
    return title


def checked_audience(audience: str) -> str:
    if audience not in AUDIENCES:
        raise InvalidDocument("the audience must be 'officers' or 'members'")
    return audience


@dataclass(frozen=True)
class Document:
    """A document's state, folded from its stream."""

    document_id: str
    group_id: str
    audience: str
    title: bytes  # sealed
    deleted: bool = False


def fold(events: Iterable[Message]) -> Document | None:
    """The document a stream describes (None for an empty stream)."""
    document: Document | None = None
    for event in events:
        if isinstance(event, pb.DocumentStored):
            document = Document(
                event.document_id, event.group_id, event.audience, event.title.ciphertext
            )
        elif isinstance(event, pb.DocumentDeleted) and document is not None:
            document = Document(
                document.document_id, document.group_id, document.audience, document.title, True
            )
    return document


def delete(document: Document | None, deleted_by: str) -> list[Message]:
    if document is None or document.deleted:
        raise DocumentRuleBroken("the document does not exist or was deleted")
    return [
        pb.DocumentDeleted(
            document_id=document.document_id, group_id=document.group_id, deleted_by=deleted_by
        )
    ]


def forward(
    document: Document | None,
    mailing_list_id: str,
    list_group_id: str,
    recipients: Sequence[str],
    forwarded_by: str,
) -> list[Message]:
    """Forward to a list of the document's own group; the recipients are the list's members."""
    if document is None or document.deleted:
        raise DocumentRuleBroken("the document does not exist or was deleted")
    if list_group_id != document.group_id:
        raise InvalidDocument("the mailing list belongs to another group")
    if not recipients:
        raise InvalidDocument("the mailing list has no members")
    return [
        pb.DocumentForwarded(
            document_id=document.document_id,
            group_id=document.group_id,
            mailing_list_id=mailing_list_id,
            recipient_account_ids=sorted(set(recipients)),
            title=pb.SealedText(ciphertext=document.title),
            forwarded_by=forwarded_by,
            audience=document.audience,
        )
    ]
