"""RFC 9457 problem details: the one error shape every service returns."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from structlog.stdlib import BoundLogger

from snp_platform.logging import context_value, get_logger

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:snp:problem:"
_log = get_logger(__name__)


class Problem(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str | None = None,
        detail: str | None = None,
        type_uri: str = "about:blank",
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title or HTTPStatus(status).phrase)
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.type_uri = type_uri
        self.headers = dict(headers or {})
        self.extra = extra

    def response(self) -> JSONResponse:
        """This problem as an `application/problem+json` response."""
        return problem_response(
            self.status, self.title, self.detail, self.type_uri, self.headers, **self.extra
        )


def problem_response(
    status: int,
    title: str | None = None,
    detail: str | None = None,
    type_uri: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """Build a problem document response; `extra` become extension members."""
    body: dict[str, Any] = {"type": type_uri, "title": title or HTTPStatus(status).phrase}
    body["status"] = status
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


@dataclass(frozen=True)
class _Mapping:
    status: int
    title: str
    detail: str | None
    type_uri: str
    headers: Mapping[str, str]


_registry: dict[type[Exception], _Mapping] = {}


def register_problem(
    exc_type: type[Exception],
    status: int,
    title: str | None = None,
    *,
    detail: str | None = None,
    type_uri: str = "about:blank",
    headers: Mapping[str, str] | None = None,
) -> None:
    """Answer `exc_type` (and its subclasses) with a fixed problem.

    The detail is the fixed text given here, never `str(exc)`: exception messages from libraries
    can carry ids or internals that must not reach clients.
    """
    title = title or HTTPStatus(status).phrase
    _registry[exc_type] = _Mapping(status, title, detail, type_uri, dict(headers or {}))


_CONFLICT = "The resource was changed by someone else; reload it and try again."
_REJECTED = "The access token is missing, expired or invalid."
_NO_KEYS = "Token signing keys are temporarily unavailable; try again shortly."
_NO_REVOCATIONS = "Access cannot be checked right now; try again shortly."
_DATABASE_DOWN = "The service cannot reach its database right now; try again shortly."
# How long a client should wait before trying again after a 503: about what a database or
# policy engine restart takes.
RETRY_AFTER_SECONDS = 5
_PLATFORM_EXCEPTIONS: tuple[tuple[str, str, int, str, str | None], ...] = (
    # The database restarting, unreachable, or the pool out of connections for its timeout
    # (psycopg_pool.PoolTimeout is one): transient, so 503 with Retry-After, never a 500.
    ("psycopg", "OperationalError", 503, "unavailable", _DATABASE_DOWN),
    ("snp_platform.eventstore", "ConcurrencyError", 409, "concurrency-conflict", _CONFLICT),
    ("snp_platform.tenancy", "TenantMismatch", 404, "not-found", None),
    ("snp_platform.tenancy", "NoTenantContext", 403, "forbidden", None),
    ("snp_platform.tokens", "InvalidToken", 401, "unauthenticated", _REJECTED),
    ("snp_platform.tokens", "JwksUnavailable", 503, "keys-unavailable", _NO_KEYS),
    ("snp_platform.revocations", "RevocationsUnavailable", 503, "unavailable", _NO_REVOCATIONS),
)


def _register_platform_exceptions() -> None:
    # Lazy imports: the event store pulls in psycopg, and tokens/tenancy import this module's
    # neighbours; none of that should load just because problems.py was imported.
    for module_name, name, status, slug, detail in _PLATFORM_EXCEPTIONS:
        try:
            exc_type = getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError):  # a lib not present in this service
            continue
        # RFC 6750: a rejected token is answered with a Bearer challenge naming the error.
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status == 401 else {}
        if status == 503:
            headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if exc_type not in _registry:
            register_problem(
                exc_type,
                status,
                detail=detail,
                type_uri=PROBLEM_TYPE_BASE + slug,
                headers=headers,
            )


def _mapped(exc: BaseException) -> _Mapping | None:
    for cls in type(exc).__mro__:
        if cls in _registry:
            return _registry[cls]
    return None


async def _on_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return exc.response()


async def _on_http_exception(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    return problem_response(exc.status_code, phrase, detail, headers=exc.headers)


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only where and what: pydantic's `input` and `ctx` would echo submitted values (passwords).
    errors = [
        {"field": ".".join(str(part) for part in err.get("loc", ())), "message": err.get("msg")}
        for err in exc.errors()
    ]
    return problem_response(
        422,
        detail="The request is not valid.",
        type_uri=PROBLEM_TYPE_BASE + "validation",
        errors=errors,
    )


async def _on_unexpected(_: Request, exc: Exception) -> JSONResponse:
    mapping = _mapped(exc)
    if mapping is not None:
        if mapping.status >= 500:  # what an operator must see: which dependency failed
            _log.warning("dependency unavailable", error=type(exc).__name__, status=mapping.status)
        return problem_response(
            mapping.status, mapping.title, mapping.detail, mapping.type_uri, mapping.headers
        )
    _log.error("unhandled exception", exc_info=exc)
    # This handler runs outside the request-context middleware, so echo the id here too.
    correlation_id = context_value("correlation_id")
    return problem_response(
        500,
        detail="An unexpected error occurred. Quote the correlation id when reporting it.",
        headers={"X-Correlation-ID": correlation_id} if correlation_id else None,
        correlation_id=correlation_id,
    )


def error_message(error: BaseException) -> str:
    """An exception's own message, for an `ErrorProblem.detail` that repeats it.

    Only for a service's own exceptions whose messages are written for the caller (a domain rule
    that was broken); never for a library's, whose messages may carry internals.
    """
    return str(error)


def listed_problems(error: Any) -> list[dict[str, Any]]:
    """`errors: [{"message": ...}]` from an exception's `problems` (one message per problem)."""
    return [{"message": problem} for problem in error.problems]


@dataclass(frozen=True)
class ErrorProblem:
    """How a service answers one of its exceptions: the problem's status, its type (a slug under
    `urn:snp:problem:`) and detail; each may be fixed or taken from the exception."""

    status: int | Callable[[Any], int]
    slug: str
    detail: str | Callable[[Any], str | None] | None = None
    title: str | None = None  # the status's phrase when not given
    errors: Callable[[Any], list[dict[str, Any]]] | None = None  # an `errors` member
    headers: Mapping[str, str] | None = None
    log: str | None = None  # an error-level log event naming the exception's type

    def response(self, error: Exception) -> JSONResponse:
        """This problem as the answer to `error`."""
        status = self.status if isinstance(self.status, int) else self.status(error)
        detail = self.detail(error) if callable(self.detail) else self.detail
        extra = {} if self.errors is None else {"errors": self.errors(error)}
        type_uri = PROBLEM_TYPE_BASE + self.slug
        return problem_response(status, self.title, detail, type_uri, self.headers, **extra)


# Input a caller can fix, one message per problem (an exception with a `problems` list).
INVALID_INPUT = ErrorProblem(
    422, "invalid-input", "The request cannot be accepted.", errors=listed_problems
)
ErrorTable = Mapping[type[Exception] | tuple[type[Exception], ...], ErrorProblem]


def add_error_problems(app: FastAPI, table: ErrorTable, logger: BoundLogger | None = None) -> None:
    """Answer each exception type in `table` (a type or a tuple of types, subclasses included)
    with its problem, on `app` alone; `logger` writes the entries' `log` events."""
    seen: set[type[Exception]] = set()
    for types, problem in table.items():
        for exc_type in types if isinstance(types, tuple) else (types,):
            if exc_type in seen:
                raise ValueError(f"{exc_type.__name__} is answered twice")
            seen.add(exc_type)
            app.add_exception_handler(exc_type, _error_handler(problem, logger or _log))


def _error_handler(
    problem: ErrorProblem, logger: BoundLogger
) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handle(_: Request, error: Exception) -> JSONResponse:
        if problem.log:
            logger.error(problem.log, error=type(error).__name__)
        return problem.response(error)

    return handle


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error `app` returns a problem document.

    Call `register_problem` before this (before `create_app`): mapped types are wired into the
    app here; one registered later is still answered correctly but also logged as a server error.
    """
    _register_platform_exceptions()
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    for exc_type in list(_registry):
        app.add_exception_handler(exc_type, _on_unexpected)
    app.add_exception_handler(Exception, _on_unexpected)
