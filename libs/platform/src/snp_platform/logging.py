"""Structured JSON logs: one line per event on stdout, with the request context merged in."""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

# The request-scoped keys every log line carries when they are bound (see http.py, tenancy.py).
CONTEXT_KEYS = ("correlation_id", "trace_id", "span_id", "tenant")


def _add_service(service: str) -> Processor:
    def processor(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        return event_dict

    return processor


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send structlog and stdlib logging (uvicorn, grpc, kafka...) to stdout as JSON lines.

    Each line has `timestamp`, `level`, `service`, `logger`, `event` and whatever of
    `correlation_id`, `trace_id`, `span_id`, `tenant` is bound in the current context.
    """
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_service(service),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,  # reconfiguring (tests, CLIs) must take effect
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    # uvicorn installs its own handlers; let its records propagate to ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True


def get_logger(name: str | None = None, **initial: Any) -> structlog.stdlib.BoundLogger:
    """A structlog logger bound to `initial` values."""
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name, **initial)
    return logger


def bind_context(**values: str | None) -> None:
    """Bind request-scoped values (correlation id, trace ids, tenant) for every later log line."""
    present = {k: v for k, v in values.items() if v is not None}
    structlog.contextvars.bind_contextvars(**present)


def context_value(key: str) -> str | None:
    """The value bound under `key` in the current context, if any."""
    value = structlog.contextvars.get_contextvars().get(key)
    return value if isinstance(value, str) else None
