"""A copy of all my data (a subject access request, UK GDPR art. 15): which services hold a
part, how the parts become one ZIP, and the summary a resident can read without a JSON viewer.
Pure: the parts arrive as parsed JSON, the ZIP leaves as bytes."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

# Every service holding something about an account, identity first (the record itself).
SERVICES = ("identity", "membership", "documents", "messaging", "engagement", "audit")
# Long enough to download after a holiday; short enough that copies do not pile up.
KEPT_FOR = timedelta(days=7)
# ZIP entries get a fixed time, so the same parts make the same bytes (the checksum says so).
_ENTRY_TIME = (2020, 1, 1, 0, 0, 0)

_COUNTED = {
    "membership": (
        ("groups", "group(s) you are a member of"),
        ("join_requests", "request(s) to join a group"),
    ),
    "documents": (
        ("documents_uploaded", "document(s) you stored"),
        ("mailing_lists", "mailing list(s) you are on"),
    ),
    "messaging": (
        ("inbox", "message(s) in your inbox"),
        ("deliveries", "delivery record(s) of messages to you"),
        ("consent_history", "change(s) of who may send you alerts"),
    ),
    "engagement": (
        ("event_registrations", "event registration(s)"),
        ("reports", "report(s) you made under your name"),
    ),
    "audit": (("entries", "record(s) in the audit log of what you did"),),
}


def summary(parts: Mapping[str, Mapping[str, Any]], requested_at: str) -> str:
    """A plain-text account of what the copy holds, service by service."""
    lines = [
        "A copy of all your data",
        "=======================",
        "",
        f"You asked for this copy on {requested_at}. Each service of the platform that holds",
        "something about you gave its part: it is in the JSON file named after the service.",
        "",
    ]
    record = parts.get("identity", {})
    if record:
        lines += [
            "identity.json: your account",
            f"  name: {record.get('display_name', '')}",
            f"  email: {record.get('email', '')}",
            f"  phone: {record.get('phone') or 'none given'}",
            f"  kind of account: {record.get('kind', '')}",
            "  (your password and authenticator secret are never copied, not even to you)",
            "",
        ]
    for service, counted in _COUNTED.items():
        part = parts.get(service, {})
        lines.append(f"{service}.json:")
        for key, words in counted:
            lines.append(f"  {len(part.get(key) or [])} {words}")
        lines.append("")
    lines.append("Anonymous reports are never in it: nothing links them to you.")
    return "\n".join(lines) + "\n"


def zip_of(parts: Mapping[str, Mapping[str, Any]], requested_at: str) -> bytes:
    """One JSON file per service, in SERVICES order, and `summary.txt`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry("summary.txt"), summary(parts, requested_at))
        for service in SERVICES:
            if service in parts:
                text = json.dumps(parts[service], ensure_ascii=False, indent=2)
                archive.writestr(_entry(f"{service}.json"), text)
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ENTRY_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
