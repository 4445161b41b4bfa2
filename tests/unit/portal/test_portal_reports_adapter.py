"""The report adapter's anonymous calls carry no token and no browser address, whoever is
signed in (invariant 12); the signed-in calls carry the user's token. httpx's MockTransport
stands in for engagement and records exactly what was sent."""

from __future__ import annotations

import json

import httpx

from snp_portal.adapters import reports
from snp_portal.adapters.api import ApiClient, browser_address


def _engagement(sent: list[httpx.Request]) -> ApiClient:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith("/follow"):
            return httpx.Response(200, json={"reference": "SNR-A", "timeline": []})
        if "/public/" in request.url.path:
            return httpx.Response(201, json={"reference": "SNR-A", "secret": "s3cret"})
        return httpx.Response(201, json={"report_id": "r1"})

    return ApiClient("engagement", "http://engagement", "/engagement", httpx.MockTransport(answer))


def test_the_anonymous_filing_and_following_send_no_token_and_no_address() -> None:
    sent: list[httpx.Request] = []
    client = _engagement(sent)
    held = browser_address.set("203.0.113.9")  # as the portal's middleware sets it
    try:
        given = reports.file_anonymously(client, "met", {"what": "x"})
        reports.follow_anonymously(client, "met", "SNR-A", "s3cret")
        # The person's address is still there for the rest of the request (e.g. sign-in).
        assert browser_address.get() == "203.0.113.9"
        reports.ReportsApi(client, "the-users-token").file_named({"what": "y"})
    finally:
        browser_address.reset(held)
    assert given == {"reference": "SNR-A", "secret": "s3cret"}
    anonymous, followed, named = sent
    for request in (anonymous, followed):
        assert "authorization" not in request.headers
        assert "x-forwarded-for" not in request.headers
    assert anonymous.url.path == "/engagement/public/met/reports"
    assert json.loads(followed.content) == {"reference": "SNR-A", "secret": "s3cret"}
    assert named.headers["authorization"] == "Bearer the-users-token"
    assert named.headers["x-forwarded-for"] == "203.0.113.9"
