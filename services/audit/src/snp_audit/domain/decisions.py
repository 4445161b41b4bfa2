"""OPA decision logs as audit records: who asked for what on which resource, and the answer.

Only an allow-list of fields is kept. The policy input carries ids, kinds and tenants, but a
future input field could carry something personal: dropping everything not listed here keeps it
out of the log whatever a service someday sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from snp_audit.domain import subjects
from snp_audit.domain.entries import Attribute, Record

PLATFORM_TENANT = "platform"  # decisions with no tenant at all (operators' lifecycle work)
DECISION_PATHS = ("snp/authz/decision", "snp/authz/allowed_ids")
RESOURCE_FIELDS = (
    "type",
    "tenant",
    "group_id",
    "group_type",
    "visibility",
    "status",
    "audience",
    "side",
    "target_kind",
)


class NotADecision(ValueError):
    """A decision-log item that is not one of the platform's authorization decisions."""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _when(value: Any) -> datetime:
    # OPA writes RFC 3339 with nanoseconds, trailing zeros dropped (none at all on a whole
    # second); microseconds are plenty for the log.
    text = _text(value)
    if not text:
        raise NotADecision("no timestamp")
    if "." not in text:
        text = text[:19] + "." + text[19:]
    head, _, rest = text.partition(".")
    zone = rest.lstrip("0123456789")
    fraction = rest[: len(rest) - len(zone)][:6]
    try:
        moment = datetime.fromisoformat(f"{head}.{fraction or '0'}{zone.replace('Z', '+00:00')}")
    except ValueError as error:
        raise NotADecision(f"bad timestamp {text!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_record(item: Mapping[str, Any]) -> Record:
    """One decision-log item (as OPA's decision-log plugin posts it) as an audit record."""
    path = _text(item.get("path"))
    decision_id = _text(item.get("decision_id"))
    if path not in DECISION_PATHS or not decision_id:
        raise NotADecision(f"path {path!r} is not an authorization decision")
    given = _mapping(item.get("input"))
    subject = _mapping(given.get("subject"))
    action = _text(given.get("action")) or "unknown"
    attrs: dict[str, Attribute] = {
        "path": path,
        "subject_kind": _text(subject.get("kind")),
        "mfa": subject.get("mfa") is True,
    }
    result = item.get("result")
    if path.endswith("allowed_ids"):
        resources = [r for r in given.get("resources") or [] if isinstance(r, Mapping)]
        attrs["asked_ids"] = [_text(r.get("id")) for r in resources]
        attrs["allowed_ids"] = [i for i in result or [] if isinstance(i, str)]
        resource: Mapping[str, Any] = resources[0] if resources else {}
        resource_id = ""
    else:
        resource = _mapping(given.get("resource"))
        resource_id = _text(resource.get("id"))
        outcome = _mapping(result)
        attrs["allow"] = outcome.get("allow") is True
        attrs["reasons"] = [r for r in outcome.get("reasons") or [] if isinstance(r, str)]
    for name in RESOURCE_FIELDS:
        if isinstance(resource.get(name), str):
            attrs[f"resource_{name}"] = resource[name]
    if item.get("error"):
        attrs["error"] = True
    tenant = _text(subject.get("tenant")) or _text(resource.get("tenant")) or PLATFORM_TENANT
    return Record(
        tenant=tenant,
        source="decision",
        service=action.split(".", 1)[0],
        type=action,
        ref=decision_id,
        actor=_text(subject.get("id")),
        subject=subjects.typed(_text(resource.get("type")), resource_id),
        occurred_at=_when(item.get("timestamp")),
        attrs=attrs,
    )
