"""Schemathesis over a service's live OpenAPI: every operation gets generated cases, positive
(within the schema) and negative (wrong types, missing fields, bad formats). Whatever the input,
the service never answers 5xx, every error is an RFC 9457 problem, and input that breaks the
schema is refused with a 4xx (schemathesis' negative_data_rejection, which knows when a mutation
was lost in serialisation and the request sent is valid after all).

schemathesis' pytest plugin does not run under pytest 9 (`request.node._nodeid`), so the cases are
drawn from its strategies with Hypothesis directly."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import negative_data_rejection, not_a_server_error
from schemathesis.generation import GenerationMode

MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def check_case(case: Any, token: str) -> None:
    """Call the case signed in with `token` (unless the case sends its own Authorization)."""
    sends_own_auth = "authorization" in {k.lower() for k in (case.headers or {})}
    response = case.call(headers=None if sends_own_auth else {"Authorization": f"Bearer {token}"})
    where = (case.method, case.formatted_path, response.status_code, response.text[:300])
    case.validate_response(response, checks=[not_a_server_error, negative_data_rejection])
    if response.status_code >= 400:
        content_type = response.headers.get("content-type")
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert str(content_type).startswith("application/problem+json"), where


def fuzz_every_operation(
    schema: Any,
    token: str,
    mode: GenerationMode,
    *,
    max_examples: int,
    min_operations: int,
    min_fuzzed: int,
) -> None:
    """Run `max_examples` cases of `mode` against each operation of `schema`."""
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= min_operations, [op.label for op in operations]
    fuzzed = 0
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=max_examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same cases on every run: a failure reproduces
            database=None,
        )
        def run(case: Any) -> None:
            check_case(case, token)

        try:
            run()
            fuzzed += 1
        except Unsatisfiable:
            # Nothing in this operation can be made invalid (e.g. GET /me has no inputs).
            assert mode is GenerationMode.NEGATIVE, operation.label
    assert fuzzed >= min_fuzzed, f"only {fuzzed} operations had cases"
