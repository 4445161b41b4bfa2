"""Log entries: what one event or one authorization decision leaves in the audit log.

An entry is canonical JSON (sorted keys, no spaces, UTF-8), so its bytes are the same wherever
it is rebuilt, and it names its own position (`index`) and the SHA-256 of the entry before it
(`prev`): the hash chain. It holds ids and metadata only, never payloads or personal data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # `prev` of a tenant's first entry
FORMAT = 1
Attribute = str | int | bool | list[str] | None


class MalformedEntry(ValueError):
    """Bytes that are not an audit entry."""


@dataclass(frozen=True)
class Record:
    """Something to log, before it has a position: where it came from and what it was."""

    tenant: str
    source: str  # "event" | "decision"
    service: str  # the service that recorded the event, or that asked for the decision
    type: str  # event type, or the decision's action
    ref: str  # event id or decision id: unique per source, so retries log nothing twice
    actor: str
    subject: str  # the stream (aggregate) id, or the resource id decided on
    occurred_at: datetime
    correlation_id: str = ""
    attrs: dict[str, Attribute] = field(default_factory=dict)


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with microseconds: one spelling for every moment."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def encode_entry(record: Record, index: int, prev: str, recorded_at: datetime) -> bytes:
    """The entry's bytes at `index`, chained to the entry whose hash is `prev`."""
    return canonical(
        {
            "v": FORMAT,
            "tenant": record.tenant,
            "index": index,
            "prev": prev,
            "source": record.source,
            "service": record.service,
            "type": record.type,
            "ref": record.ref,
            "actor": record.actor,
            "subject": record.subject,
            "occurred_at": timestamp(record.occurred_at),
            "recorded_at": timestamp(recorded_at),
            "correlation_id": record.correlation_id,
            "attrs": record.attrs,
        }
    )


def decode_entry(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedEntry(f"not JSON: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("index"), int):
        raise MalformedEntry("not an audit entry")
    if not isinstance(document.get("prev"), str) or not isinstance(document.get("tenant"), str):
        raise MalformedEntry("an audit entry names its tenant and the previous entry's hash")
    return document


def entry_hash(data: bytes) -> str:
    """What the next entry's `prev` holds."""
    return hashlib.sha256(data).hexdigest()
