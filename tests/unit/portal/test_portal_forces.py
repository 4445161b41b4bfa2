"""Forces' names as the portal keeps them (identity faked with httpx's MockTransport), and the
route table's order: `/groups/new` is found before any page taking `/groups/{id}`."""

from __future__ import annotations

import httpx
import pytest

from snp_portal.adapters.api import ApiClient, Refusal
from snp_portal.adapters.forces import Force, ForceNames
from snp_portal.entrypoints.app import ROUTERS


def _identity(asked: list[str], status: int = 200) -> ApiClient:
    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        slug = request.url.path.rsplit("/", 1)[-1]
        if slug == "met" and status == 200:
            return httpx.Response(200, json={"slug": "met", "display_name": "Met Police"})
        problem = {"type": "urn:snp:problem:not-found", "title": "Not Found"}
        return httpx.Response(404 if status == 200 else status, json=problem)

    return ApiClient("identity", "http://identity", "/identity", httpx.MockTransport(answer))


def test_a_forces_name_is_asked_once_then_kept() -> None:
    asked: list[str] = []
    names = ForceNames(_identity(asked))
    assert names.find("met") == Force("met", "Met Police")
    assert names.find("met") == Force("met", "Met Police")
    assert asked == ["/identity/public/tenants/met"]


def test_an_unknown_force_is_none_and_remembered_briefly() -> None:
    asked: list[str] = []
    names = ForceNames(_identity(asked))
    assert names.find("nowhere") is None
    assert names.find("nowhere") is None
    assert asked == ["/identity/public/tenants/nowhere"]


def test_what_is_not_a_slug_never_reaches_identity() -> None:
    asked: list[str] = []
    names = ForceNames(_identity(asked))
    for bad in ("../sessions", "Met", "met/../x", ""):
        assert names.find(bad) is None
    assert asked == []


def test_other_refusals_are_not_taken_for_an_unknown_force() -> None:
    names = ForceNames(_identity([], status=429))
    with pytest.raises(Refusal):
        names.find("met")


def test_groups_new_is_routed_before_any_group_page() -> None:
    # Routers match in the order ROUTERS includes them; `{group_id}` would take "new" too.
    paths = [
        (i, getattr(route, "path", ""))
        for i, module in enumerate(ROUTERS)
        for route in module.router.routes
    ]
    [new] = {i for i, path in paths if path == "/groups/new"}
    assert all(new < i for i, path in paths if path.startswith("/groups/{"))
