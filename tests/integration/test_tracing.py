"""OpenTelemetry against the real stack (its processes export to the session's trace sink, an
OTLP/HTTP receiver): one resident's request to join a group, sent with a traceparent as a
traced client would, yields ONE connected trace across the services it touches. Membership's
REST span is the caller's child, its OPA call and SQL are the request's children, the relay's
publish and every consumer that applied the event (audit's, messaging's ...) continue the same
trace, and the event in membership's store names the request's span."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
import pytest

from snp_stack.tracesink import ReceivedSpan
from tests.integration.documents_world import found_group, make_accounts
from tests.integration.membership_people import wait_for_account

pytestmark = pytest.mark.integration
SERVER, CLIENT, PRODUCER, CONSUMER = 2, 3, 4, 5  # OTLP's SpanKind numbers


def _roles(spans: list[ReceivedSpan]) -> set[tuple[str, str]]:
    return {(s.service, s.role) for s in spans}


def _orphans(spans: list[ReceivedSpan], caller_span: str) -> list[ReceivedSpan]:
    """Spans whose parent is neither the caller's span nor another span of the trace."""
    ids = {s.span_id for s in spans}
    return [s for s in spans if s.parent_span_id not in ids | {caller_span}]


def _complete(caller_span: str) -> Callable[[list[ReceivedSpan]], bool]:
    def complete(spans: list[ReceivedSpan]) -> bool:
        applied = {s.service for s in spans if s.kind == CONSUMER}
        reached = {("snp-membership", "api"), ("snp-membership", "relay")} <= _roles(spans)
        # A parent ends (and is exported) after its children: wait for it rather than call
        # its children orphans. A parent that never comes times the wait out.
        return (
            reached
            and {"snp-audit", "snp-messaging"} <= applied
            and not _orphans(spans, caller_span)
        )

    return complete


def test_one_join_request_is_one_connected_trace_across_services(
    stack: Any, trace_sink: Any
) -> None:
    tenant = f"force-{uuid.uuid4().hex[:6]}"
    people = make_accounts(stack, tenant, [("chair", "member"), ("resident", "member")])
    http_port, _ = stack.ports.services["membership"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/membership", timeout=30) as api:
        wait_for_account(stack, people["chair"].account_id)
        wait_for_account(stack, people["resident"].account_id)
        group = found_group(api, people["chair"])
        trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
        headers = {**people["resident"].headers, "traceparent": f"00-{trace_id}-{caller_span}-01"}
        asked = api.post(f"/groups/{group}/join-requests", headers=headers)
        assert asked.status_code == 201, asked.text

    # Connected: every span's parent is the caller's span or another span of this trace.
    spans = trace_sink.wait_for(trace_id, _complete(caller_span))
    assert _orphans(spans, caller_span) == []
    request = [s for s in spans if s.kind == SERVER and s.service == "snp-membership"]
    assert len(request) == 1 and request[0].parent_span_id == caller_span, request
    inside = {s.parent_span_id for s in spans if s.kind == CLIENT and s.service == "snp-membership"}
    assert request[0].span_id in inside  # OPA's question (httpx) and SQL, within the request
    assert any(s.name.startswith("publish snp.membership.events") for s in spans)
    assert any(s.name == "apply membership.JoinRequested" for s in spans), [s.name for s in spans]

    # The event carries the request's span, which is how the consumers continued the trace.
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        row = conn.execute(
            "SELECT metadata->>'traceparent' FROM events WHERE stream_id LIKE %s"
            " AND event_type = 'membership.JoinRequested' ORDER BY position DESC LIMIT 1",
            (f"%{group}%",),
        ).fetchone()
    assert row is not None and row[0] == f"00-{trace_id}-{request[0].span_id}-01"
