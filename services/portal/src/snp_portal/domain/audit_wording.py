"""Audit log entries said in words for the auditor's console: who did or asked what, on what,
and for a decision the policy's answer and its reasons ("police officer p1 was refused
`documents.document.read` on group g1 because staff accounts never read group documents")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KINDS = {
    "member": "member",
    "police": "police officer",
    "tenant_admin": "force administrator",
    "area_coordinator": "area coordinator",
    "auditor": "auditor",
    "operator": "council IT operator",
    "partner": "partner agency officer",
    "public": "visitor without an account",
}

# The policy's deny reasons (policies/authz.rego), as the end of "… because …".
REASONS = {
    "unknown_action": "the policy does not know that action",
    "unknown_subject_kind": "the policy does not know that kind of account",
    "mfa_required": "they had not signed in with their second factor",
    "staff_kind_never_documents": "staff accounts never read or handle group documents",
    "staff_kind_never_runs_groups": "staff accounts never run a group",
    "visitor_reads_public_groups_only": "without an account only public open groups can be read",
    "cross_tenant": "it belongs to another force",
    "approval_side_mismatch": "that side of the approval belongs to the other kind of account",
    "action_not_allowed_for_kind": "no account of that kind may do this",
    "not_an_officer": "they are not an officer of the group",
    "not_a_group_member": "they are not a member of the group",
    "not_the_account_itself": "it is not their own account",
}
# `<attribute>_not_allowed`: a grant's condition on the resource did not hold.
ATTRIBUTES = {
    "group_type": "kind of group",
    "visibility": "group's visibility",
    "status": "group's status",
    "audience": "document's audience",
    "side": "approval side",
    "target_kind": "kind of account to create",
    "tenant_has_admin": "force's administrators",
    "group_directory": "group's member directory setting",
    "type": "kind of audience",
}
# Subjects are `<kind>:<id>`; older entries may name a bare id.
SUBJECT_KINDS = {
    "mailing-list": "mailing list",
    "group-key": "key of group",
    "log": "audit log of",
    "inbox": "inbox item",
}
SOURCES = {"event": "Event", "decision": "Decision"}


def account_kind(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " ") or "account")


def reason_in_words(reason: str) -> str:
    if reason in REASONS:
        return REASONS[reason]
    if reason.startswith("grant:"):
        return "the rule “" + reason.removeprefix("grant:").replace("_", " ") + "”"
    if reason.endswith("_not_allowed"):
        attribute = reason.removesuffix("_not_allowed")
        return f"the {ATTRIBUTES.get(attribute, attribute.replace('_', ' '))} does not allow it"
    return reason.replace("_", " ")


def subject_in_words(subject: str) -> str:
    """`group:g1` as "group g1"; a bare id as itself; none as "nothing in particular"."""
    if not subject:
        return "a list"
    kind, _, identifier = subject.partition(":")
    if not identifier:
        return subject
    return f"{SUBJECT_KINDS.get(kind, kind)} {identifier}"


def _ordered(reasons: list[str]) -> list[str]:
    """The policy's reasons come as a set: the invariants' guards first, as REASONS lists them,
    then the rest as they came."""
    known = list(REASONS)
    return sorted(reasons, key=lambda r: known.index(r) if r in known else len(known))


def _joined(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def decision_in_words(entry: Mapping[str, Any]) -> str:
    attrs: Mapping[str, Any] = entry.get("attrs") or {}
    who = f"{account_kind(str(attrs.get('subject_kind', '')))} {entry.get('actor') or '(none)'}"
    action = f"`{entry.get('type', '')}`"
    on = subject_in_words(str(entry.get("subject", "")))
    group = attrs.get("resource_group_id")
    if group and f"group:{group}" != entry.get("subject") and group != entry.get("subject"):
        on += f" of group {group}"
    if "allowed_ids" in attrs:
        asked, allowed = attrs.get("asked_ids") or [], attrs.get("allowed_ids") or []
        return f"{who} asked for {action} on {len(asked)} items and was allowed {len(allowed)}"
    reasons = [reason_in_words(r) for r in _ordered([str(r) for r in attrs.get("reasons") or []])]
    if attrs.get("allow"):
        under = f" under {_joined(reasons)}" if reasons else ""
        return f"{who} was allowed {action} on {on}{under}"
    because = f" because {_joined(reasons)}" if reasons else ""
    return f"{who} was refused {action} on {on}{because}"


def event_in_words(entry: Mapping[str, Any]) -> str:
    who = f"account {entry['actor']}" if entry.get("actor") else "the platform"
    what = str(entry.get("type", "")).split(".", 1)[-1]
    return f"{who}: {what} on {subject_in_words(str(entry.get('subject', '')))}"


def entry_in_words(entry: Mapping[str, Any]) -> str:
    """The entry as one sentence, capital letter and full stop included."""
    said = decision_in_words(entry) if entry.get("source") == "decision" else event_in_words(entry)
    return said[:1].upper() + said[1:] + "."
