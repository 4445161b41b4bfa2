"""The auditor's console: searching their force's log, and one entry with its inclusion proof
and the signed checkpoint it is under. Audit and OPA decide (`audit.events.read`); the portal
only asks with the auditor's token and says the entries in words."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from snp_portal.adapters.api import Refusal
from snp_portal.domain.audit_wording import SOURCES, entry_in_words
from snp_portal.entrypoints.pages import error_list, render
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis, with_query

router = APIRouter()
AUDITORS = frozenset({"auditor"})
SERVICES = ("identity", "membership", "documents", "messaging", "audit")
FIELDS = ("actor", "subject", "type", "service", "source", "answer", "from", "to")
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")
PAGE_SIZE = 50


def _moment(text: str) -> datetime | None:
    for form in TIME_FORMATS:
        try:
            return datetime.strptime(text, form).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def search_params(values: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The audit API's query for the form's values, and the form's errors (field -> message)."""
    params: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in ("actor", "subject", "type"):
        if len(values[name]) > 200:
            errors[name] = "Enter 200 characters or fewer"
        elif values[name]:
            params[name] = values[name]
    if values["service"] in SERVICES:
        params["service"] = values["service"]
    if values["source"] in SOURCES:
        params["source"] = values["source"]
    if values["answer"] in ("allowed", "refused"):
        params["allowed"] = "true" if values["answer"] == "allowed" else "false"
    moments: dict[str, datetime] = {}
    for name, param in (("from", "since"), ("to", "until")):
        if not values[name]:
            continue
        moment = _moment(values[name])
        if moment is None:
            errors[name] = "Enter a date like 2026-11-21, or a date and time like 2026-11-21 14:30"
        else:
            moments[name] = moment
            params[param] = moment.isoformat()
    if len(moments) == 2 and moments["to"] <= moments["from"]:
        errors["to"] = "The end must be after the start"
    return params, errors


def _row(item: dict[str, Any]) -> dict[str, Any]:
    entry = item["entry"]
    return {
        "index": item["index"],
        "when": str(entry.get("occurred_at", ""))[:19].replace("T", " "),
        "source": SOURCES.get(entry.get("source", ""), entry.get("source", "")),
        "refused": entry.get("source") == "decision"
        and entry.get("attrs", {}).get("allow") is False,
        "words": entry_in_words(entry),
    }


@router.get("/auditor")
def search(request: Request) -> Response:
    staff = signed_in_staff(request, AUDITORS)
    query = request.query_params
    values = {name: query.get(name, "").strip() for name in FIELDS}
    params, errors = search_params(values)
    cursor = query.get("cursor", "")
    found: dict[str, Any] = {"entries": [], "next_cursor": None}
    if not errors:
        ask = params | {"limit": str(PAGE_SIZE)}
        if cursor.isdigit():
            ask["cursor"] = cursor
        found = apis(request).audit.get("/events", staff.token, params=ask)
    here = with_query("/auditor", **{k: v for k, v in values.items() if v})
    next_cursor = found.get("next_cursor")
    return render(
        request,
        "auditor_search.html",
        status_code=400 if errors else 200,
        title="Search the audit log",
        active="auditor-search",
        values=values,
        services=SERVICES,
        rows=[_row(item) for item in found["entries"]],
        searched=any(values.values()),
        next_href=with_query(here, cursor=str(next_cursor)) if next_cursor is not None else None,
        first_href=here if cursor else None,
        errors=errors,
        error_items=error_list(errors),
    )


def _uncheckpointed(request: Request, token: str, index: int) -> dict[str, Any] | None:
    """The entry at `index` when no signed checkpoint covers it yet (at most a minute)."""
    found = apis(request).audit.get(
        "/events", token, params={"cursor": str(index - 1), "limit": "1"}
    )
    entries = [e for e in found["entries"] if e["index"] == index]
    if not entries:
        return None
    item = entries[0]["entry"]
    # Canonical JSON, as audit writes entries: the same bytes it holds.
    raw = json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return {"entry": item, "raw": raw, "path": [], "checkpoint": None}


@router.get("/auditor/entries/{index}")
def entry(request: Request, index: Annotated[int, Path(ge=0, le=2**62)]) -> Response:
    staff = signed_in_staff(request, AUDITORS)
    try:
        proof = apis(request).audit.get(
            "/proofs/inclusion", staff.token, params={"index": str(index)}
        )
        proof["raw"] = proof["entry"]  # the entry's exact bytes, as the log holds them
        proof["entry"] = json.loads(proof["raw"])
    except Refusal as refusal:
        if refusal.status != 404:
            raise
        found = _uncheckpointed(request, staff.token, index)
        if found is None:
            raise
        proof = found
    item = proof["entry"]
    return render(
        request,
        "auditor_entry.html",
        title=f"Entry {index} of the audit log",
        active="auditor-search",
        index=index,
        entry=item,
        words=entry_in_words(item),
        attrs=sorted((item.get("attrs") or {}).items()),
        path=proof["path"],
        checkpoint=proof["checkpoint"],
        entry_text=proof["raw"],
        errors={},
    )
