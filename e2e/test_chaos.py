"""The chaos run's short form (`make chaos` is the long one): on a stack of its own, a steady
mixed workload for 60 s while Kafka's broker is SIGKILLed, PostgreSQL is stopped immediately
and then fast, OPA is killed, and a delivery worker and an api process are SIGKILLed; each
comes back by itself. Then: no 5xx outside the outages, at worst a 503 with Retry-After inside
them, no event lost between store, topic and audit, each admission applied once, every
delivery served with the duplicates inside their bound, every document served intact."""

from __future__ import annotations

import os

import pytest

from e2e.chaos.faults import short_form
from e2e.chaos.run import STACK_ENV, chaos, report
from snp_stack.testing import throwaway_stack

pytestmark = pytest.mark.integration


def test_the_platform_keeps_its_promises_while_its_infrastructure_fails() -> None:
    with throwaway_stack(env={**os.environ, **STACK_ENV}) as stack:
        found = chaos(stack, seconds=60, rate=6, faults_to_strike=short_form(stack))
    print(report(found))
    assert found.broken == [], report(found)
    assert found.figures["requests"] > 200
    assert found.figures["admissions answered 2xx"] > 0
    assert found.figures["messages sent"] > 0 and found.figures["documents uploaded"] > 0
