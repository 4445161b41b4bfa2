"""Where OPA posts its decision logs, and the public key that checks the log's checkpoints."""

from __future__ import annotations

import hmac
import json
import zlib
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from snp_audit.entrypoints import dependencies as deps
from snp_audit.service_layer.ingest import log_decisions
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem

router = APIRouter(prefix="/audit", tags=["ingestion"])


def _bad(detail: str, status: int = 400) -> Problem:
    return Problem(status, detail=detail, type_uri=PROBLEM_TYPE_BASE + "invalid-input")


async def _body(request: Request, limit: int) -> bytes:
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise _bad("The upload is too large.", 413)
    if request.headers.get("content-encoding", "").lower() != "gzip":
        return bytes(raw)
    inflater = zlib.decompressobj(wbits=31)  # gzip framing; bounded so a zip bomb is refused
    try:
        data = inflater.decompress(bytes(raw), limit + 1)
    except zlib.error as error:
        raise _bad(f"The body is not gzip: {error}.") from error
    if len(data) > limit or inflater.unconsumed_tail:
        raise _bad("The upload is too large once decompressed.", 413)
    return data


def _check_token(request: Request, expected: str) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    given = token.strip() if scheme.lower() == "bearer" else ""
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Problem(
            401,
            detail="Decision logs are taken from OPA only (its bearer token).",
            type_uri=PROBLEM_TYPE_BASE + "unauthenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )


@router.post("/decision-logs", status_code=204)
async def decision_logs(request: Request) -> None:
    """A batch from OPA's decision-log plugin: a JSON array, usually gzip-compressed."""
    settings = request.app.state.settings
    _check_token(request, settings.decision_log_token.get_secret_value())
    data = await _body(request, settings.decision_log_max_bytes)
    try:
        batch: Any = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise _bad(f"The body is not JSON: {error}.") from error
    if not isinstance(batch, list) or not all(isinstance(i, dict) for i in batch):
        raise _bad("The body must be a JSON array of decision objects.")
    await run_in_threadpool(log_decisions, deps.context(request).pool, batch)


@router.get("/public-key")
def public_key(request: Request) -> dict[str, str]:
    """Anyone may fetch it: checking a signature needs no secret."""
    signer = deps.context(request).signer
    return {
        "algorithm": "Ed25519",
        "key_id": signer.key_id,
        "public_key": signer.public_key_text(),
    }
