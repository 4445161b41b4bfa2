"""The Platform's conditions, from its Deployments' live state (pure)."""

from __future__ import annotations

from typing import Any

from snp_operator.conditions import evaluate, merge


def deployment(
    name: str, *, available: int = 0, generation: int = 1, **status: Any
) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "generation": generation},
        "spec": {"replicas": 2},
        "status": {
            "observedGeneration": generation,
            "updatedReplicas": available,
            "availableReplicas": available,
        }
        | status,
    }


def by_type(conditions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["type"]: c for c in conditions}


def test_ready_when_every_deployment_is_available() -> None:
    found = by_type(
        evaluate(3, ["a", "b"], [deployment("a", available=2), deployment("b", available=2)])
    )
    assert found["Ready"]["status"] == "True"
    assert found["Progressing"]["status"] == "False"
    assert found["Degraded"]["status"] == "False"
    assert {c["observedGeneration"] for c in found.values()} == {3}


def test_missing_or_unavailable_deployments_are_progressing() -> None:
    found = by_type(evaluate(1, ["a", "b"], [deployment("a", available=1)]))
    assert found["Ready"]["status"] == "False"
    assert found["Ready"]["message"] == "waiting for: b, a"
    assert found["Progressing"]["status"] == "True"


def test_an_old_generation_is_not_yet_rolled_out() -> None:
    stale = deployment("a", available=2, generation=2)
    stale["status"]["observedGeneration"] = 1
    assert by_type(evaluate(1, ["a"], [stale]))["Ready"]["status"] == "False"


def test_failures_are_degraded() -> None:
    failed = {"type": "ReplicaFailure", "status": "True"}
    stuck = deployment("a", available=1, conditions=[failed])
    assert by_type(evaluate(1, ["a"], [stuck]))["Degraded"]["reason"] == "RolloutStuck"
    found = by_type(evaluate(1, ["a"], [], error="applying failed: 422"))
    assert found["Degraded"]["reason"] == "ApplyFailed"
    assert found["Ready"]["status"] == "False" and found["Progressing"]["status"] == "False"


def test_transition_times_move_only_when_the_status_changes() -> None:
    first = merge([], evaluate(1, ["a"], []), "T1")
    again = by_type(merge(first, evaluate(2, ["a"], []), "T2"))
    assert again["Ready"]["lastTransitionTime"] == "T1"
    ready = by_type(merge(first, evaluate(2, ["a"], [deployment("a", available=2)]), "T3"))
    assert ready["Ready"]["lastTransitionTime"] == "T3"
