"""Security headers on every answer, and the CSRF check on every form."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware

from snp_portal.adapters.api import browser_address

CSP = (
    "default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


class SecurityHeaders(BaseHTTPMiddleware):
    """A strict CSP (scripts from /assets, plus GOV.UK Frontend's one-line `js-enabled` script
    under a per-response nonce), no framing, no sniffing, no referrer beyond this origin."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.csp_nonce = secrets.token_urlsafe(16)
        browser_address.set(request.client.host if request.client else None)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP.format(nonce=request.state.csp_nonce)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if not request.url.path.startswith("/assets/"):
            # Every page may carry personal data or a CSRF token: never stored by any cache.
            response.headers["Cache-Control"] = "no-store"
        return response


def csrf_ok(expected: str | None, given: object) -> bool:
    return (
        isinstance(given, str)
        and expected is not None
        and hmac.compare_digest(expected.encode(), given.encode())
    )
