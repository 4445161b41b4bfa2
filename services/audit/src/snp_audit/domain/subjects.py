"""One style for what an entry is about: `<kind>:<id>` (`account:…`, `group:…`, `document:…`).

Services name their streams `<kind>:<id>`, except membership, whose group streams are the bare
group id; decisions name a resource by a bare id and its type. Logged as they came, the same
group appeared as `group:<id>` and as `<id>`, and a search for an account's id found nothing.
Entries logged before this rule keep their bytes (the log is never rewritten), so a search
matches both forms: `account:<id>` finds bare `<id>` too, and a bare id finds it under any kind.
"""

from __future__ import annotations

# The one service whose stream ids are bare ids, and what they are ids of.
BARE_STREAMS = {"membership": "group"}


def typed(kind: str, identifier: str) -> str:
    """`<kind>:<id>`; an id that already names its kind, or an empty one, is kept as it is."""
    if not identifier or ":" in identifier or not kind:
        return identifier
    return f"{kind}:{identifier}"


def of_stream(service: str, stream_id: str) -> str:
    return typed(BARE_STREAMS.get(service, ""), stream_id)


def bare_id(subject: str) -> str:
    """The id without its kind: what both forms of one subject have in common."""
    return subject.split(":", 1)[1] if ":" in subject else subject


def forms(query: str) -> tuple[str, str | None]:
    """(the bare id to match, the one typed form to keep, or None for any kind)."""
    return bare_id(query), (query if ":" in query else None)
