"""Why a service refused: a 403's body names only what the caller can act on, so a test reads
the policy's reasons where the service logged them, by the answer's correlation id."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx


def refusal_reasons(stack: Any, answer: httpx.Response, wait_seconds: float = 5.0) -> set[str]:
    """The policy's reasons for this refused answer, from the services' JSON logs."""
    assert answer.status_code == 403, (answer.status_code, answer.text[:300])
    body = answer.json()
    assert body["type"] in ("urn:snp:problem:forbidden", "urn:snp:problem:mfa-required"), body
    assert set(body.get("reasons", [])) <= {"mfa_required"}, body  # nothing else is told
    correlation_id = answer.headers["X-Correlation-ID"]
    deadline = time.monotonic() + wait_seconds
    while True:
        found = _logged(stack, correlation_id)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _logged(stack: Any, correlation_id: str) -> set[str]:
    reasons: set[str] = set()
    for log in stack.logs_dir.glob("*.log"):
        with log.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if correlation_id not in line or "authorization_refused" not in line:
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if entry.get("correlation_id") == correlation_id:
                    reasons.update(entry.get("reasons", []))
    return reasons
