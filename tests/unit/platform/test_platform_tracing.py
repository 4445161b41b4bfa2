"""Tracing is off unless the standard OTEL_* variables name an OTLP endpoint, and off it costs
nothing: no span, and an event records the caller's traceparent as it came."""

from __future__ import annotations

from opentelemetry.trace import SpanKind

from snp_platform import tracing

ENDPOINT = "http://collector.example:4318"


def test_tracing_is_wanted_only_with_an_endpoint_and_not_disabled() -> None:
    assert not tracing.tracing_wanted({})
    assert tracing.tracing_wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT})
    assert tracing.tracing_wanted({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ENDPOINT + "/v1/traces"})
    assert not tracing.tracing_wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "  "})
    disabled = {"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_SDK_DISABLED": "TRUE"}
    assert not tracing.tracing_wanted(disabled)
    no_traces = {"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_TRACES_EXPORTER": "none"}
    assert not tracing.tracing_wanted(no_traces)


def test_off_an_event_keeps_the_callers_traceparent_and_spans_are_not_made() -> None:
    incoming = "00-" + "a" * 32 + "-" + "b" * 16 + "-01"
    assert tracing.request_traceparent(incoming + "-and-more") == incoming
    assert tracing.request_traceparent("") == ""
    with tracing.continued_span("apply x", incoming, SpanKind.CONSUMER):
        assert tracing.current_trace_ids() is None
        assert tracing.current_traceparent() == ""
