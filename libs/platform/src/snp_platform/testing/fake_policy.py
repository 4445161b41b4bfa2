"""A policy client whose answers a test chooses: a fake for unit tests only, never for a service.

`FakePolicyClient` has `snp_platform.opa.OpaClient`'s interface and sees what OPA would see: the
input goes through JSON as the real client posts it (tuples arrive as lists, input JSON cannot
encode is the real client's fail-closed deny). The answer comes from a rule function
`(subject, action, resource) -> bool | Decision` or a table of actions; anything the table does
not name is denied. `allowed_ids` asks the same rule once per resource, as the policy's
`allowed_ids` agrees with its single decisions. Every question is recorded in `asked`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from snp_platform.opa import DENY_UNAVAILABLE, Decision, OpaClient

Rule = Callable[[Mapping[str, Any], str, Mapping[str, Any]], bool | Decision]
ALLOWED, DENIED = "fake:allowed", "fake:denied"


@dataclass(frozen=True)
class Asked:
    """One question as OPA would have received it: the rule's name and its `input`."""

    query: str  # "decision" or "allowed_ids"
    input: dict[str, Any]


class FakePolicyClient(OpaClient):
    """Answers from `rule`, or from `table` (action -> allow or a Decision); denies otherwise."""

    def __init__(
        self,
        rule: Rule | None = None,
        *,
        table: Mapping[str, bool | Decision] | None = None,
    ) -> None:  # deliberately no HTTP client: OpaClient.__init__ is not called
        if (rule is None) == (table is None):
            raise ValueError("give a rule or a table, not both or neither")
        chosen = dict(table or {})
        self._rule: Rule = rule or (lambda _s, action, _r: chosen.get(action, False))
        self.asked: list[Asked] = []

    @classmethod
    def unavailable(cls) -> FakePolicyClient:
        """A policy that cannot be reached: every decision is the real client's fail-closed deny."""
        return cls(lambda _s, _a, _r: DENY_UNAVAILABLE)

    def decide(
        self, subject: Mapping[str, Any], action: str, resource: Mapping[str, Any]
    ) -> Decision:
        sent = self._sent("decision", {"subject": subject, "action": action, "resource": resource})
        if sent is None:
            return DENY_UNAVAILABLE
        return self._answer(sent["subject"], sent["action"], sent["resource"])

    def allowed_ids(
        self,
        subject: Mapping[str, Any],
        action: str,
        resources: Iterable[Mapping[str, Any]],
    ) -> frozenset[str]:
        resources = list(resources)
        if not resources:
            return frozenset()  # the real client does not ask OPA at all
        sent = self._sent(
            "allowed_ids", {"subject": subject, "action": action, "resources": resources}
        )
        if sent is None:
            return frozenset()
        return frozenset(
            r["id"]
            for r in sent["resources"]
            if isinstance(r, dict)
            and isinstance(r.get("id"), str)
            and self._answer(sent["subject"], sent["action"], r).allow
        )

    def close(self) -> None:
        """Nothing to close."""

    def _sent(self, query: str, input_: dict[str, Any]) -> dict[str, Any] | None:
        try:  # what the real client's httpx would post
            sent: dict[str, Any] = json.loads(json.dumps(input_, allow_nan=False))
        except (TypeError, ValueError):
            return None
        self.asked.append(Asked(query, sent))
        return sent

    def _answer(self, subject: Any, action: Any, resource: Any) -> Decision:
        answer = self._rule(subject, action, resource)
        if isinstance(answer, Decision):
            return answer
        return Decision(answer, (ALLOWED,) if answer else (DENIED,), f"fake-{len(self.asked)}")
