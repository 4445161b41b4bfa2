"""A service's download passed on to the browser as it arrives (never held whole here), with
the service's file name, type and length. The security headers add `no-store` and `nosniff`."""

from __future__ import annotations

import httpx
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

_PASSED_ON = ("content-disposition", "content-length", "repr-digest")


def passed_on(answer: httpx.Response) -> StreamingResponse:
    headers = {name: answer.headers[name] for name in _PASSED_ON if name in answer.headers}
    if "content-encoding" in answer.headers:  # decoded on the way through: another length
        headers.pop("content-length", None)
    return StreamingResponse(
        answer.iter_bytes(),
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers=headers,
        background=BackgroundTask(answer.close),
    )
