"""Kubernetes-style conditions (`Ready`, `Progressing`, `Degraded`) from the children's state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Obj = dict[str, Any]


def _condition(kind: str, ok: bool, reason: str, message: str, generation: int) -> Obj:
    return {
        "type": kind,
        "status": "True" if ok else "False",
        "reason": reason,
        "message": message,
        "observedGeneration": generation,
    }


def _available(dep: Obj) -> bool:
    spec, status = dep.get("spec") or {}, dep.get("status") or {}
    wanted = int(spec.get("replicas", 1))
    return bool(
        (status.get("observedGeneration") or 0) >= dep["metadata"].get("generation", 0)
        and (status.get("updatedReplicas") or 0) >= wanted
        and (status.get("availableReplicas") or 0) >= wanted
    )


def _stuck(dep: Obj) -> bool:
    for cond in (dep.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "ReplicaFailure" and cond.get("status") == "True":
            return True
        if cond.get("type") == "Progressing" and cond.get("reason") == "ProgressDeadlineExceeded":
            return True
    return False


def evaluate(
    generation: int, wanted: Sequence[str], live: Sequence[Obj], error: str = ""
) -> list[Obj]:
    """Conditions for the Platform at `generation`, given the Deployment names it renders, the
    live Deployments and the apply error (if the last apply failed)."""
    by_name = {d["metadata"]["name"]: d for d in live}
    missing = sorted(set(wanted) - set(by_name))
    waiting = sorted(n for n, d in by_name.items() if n in wanted and not _available(d))
    stuck = sorted(n for n, d in by_name.items() if n in wanted and _stuck(d))
    if error:
        degraded = _condition("Degraded", True, "ApplyFailed", error, generation)
    elif stuck:
        degraded = _condition("Degraded", True, "RolloutStuck", ", ".join(stuck), generation)
    else:
        degraded = _condition("Degraded", False, "AsExpected", "", generation)
    pending = missing + waiting
    if error or pending:
        why = error or f"waiting for: {', '.join(pending)}"
        ready = _condition(
            "Ready", False, "ApplyFailed" if error else "Unavailable", why, generation
        )
    else:
        ready = _condition("Ready", True, "Available", "every Deployment is available", generation)
    rolling = bool(pending) and not error
    progressing = _condition(
        "Progressing",
        rolling,
        "RollingOut" if rolling else "Complete" if not error else "ApplyFailed",
        f"{len(pending)} Deployment(s) not yet available" if rolling else "",
        generation,
    )
    return [ready, progressing, degraded]


def merge(old: Sequence[Obj], new: Sequence[Obj], now: str) -> list[Obj]:
    """`new` with `lastTransitionTime` kept from `old` where a condition's status is unchanged."""
    previous = {c.get("type"): c for c in old}
    merged = []
    for cond in new:
        before = previous.get(cond["type"])
        same = before is not None and before.get("status") == cond["status"]
        stamp = before.get("lastTransitionTime", now) if same and before else now
        merged.append(cond | {"lastTransitionTime": stamp})
    return merged
