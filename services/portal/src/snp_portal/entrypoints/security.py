"""Security headers on every answer, and the CSRF check on every form."""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from snp_portal.adapters.api import browser_address

CSP = (
    "default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """A strict CSP (scripts from /assets, plus GOV.UK Frontend's one-line `js-enabled` script
    under a per-response nonce), no framing, no sniffing, no referrer beyond this origin.

    Plain ASGI rather than BaseHTTPMiddleware: it only adds headers, and a downloaded document
    streams through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        client = scope.get("client")
        browser_address.set(client[0] if client else None)
        cacheable = scope["path"].startswith("/assets/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CSP.format(nonce=nonce)
                for name, value in FIXED_HEADERS:
                    headers[name] = value
                if not cacheable:
                    # Every page may carry personal data or a CSRF token: never stored by any cache.
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_ok(expected: str | None, given: object) -> bool:
    return (
        isinstance(given, str)
        and expected is not None
        and hmac.compare_digest(expected.encode(), given.encode())
    )
