"""Refuses a request whose path or query string carries a control character, before any route
reads it: PostgreSQL refuses NUL in text (a 500 otherwise), and no name, id or search term of
the platform ever holds one. The answer is a 422 problem naming where the character was."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from snp_platform.problems import PROBLEM_TYPE_BASE, problem_response

# C0 controls and DEL; a tab or newline in a query value is as wrong as NUL here.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def control_character_in(path: str, query_string: bytes) -> str | None:
    """Where a control character is, as a validation error names a field (`path`, `query`,
    `query.<name>`), or None."""
    if _CONTROL.search(path):
        return "path"
    query = query_string.decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8"):
        if _CONTROL.search(name):
            return "query"
        if _CONTROL.search(value):
            return f"query.{name}"
    return None


class ControlCharacterGuard:
    """ASGI middleware: a 422 problem for a control character in the path or a query parameter."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 422 for a request carrying a control character, else run it."""
        if scope["type"] == "http":
            where = control_character_in(scope.get("path", ""), scope.get("query_string", b""))
            if where is not None:
                response = problem_response(
                    422,
                    detail="The request contains a control character, which is never valid here.",
                    type_uri=PROBLEM_TYPE_BASE + "validation",
                    errors=[{"field": where, "message": "must not contain control characters"}],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
