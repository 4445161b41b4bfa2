"""Server-side apply of rendered children with one field manager, and reading them back."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from kubernetes import client
from kubernetes.dynamic import DynamicClient

from snp_operator.catalogue import FIELD_MANAGER

Obj = dict[str, Any]


@cache
def dynamic() -> DynamicClient:
    """One client per process: it caches the API discovery."""
    return DynamicClient(client.ApiClient())  # type: ignore[no-untyped-call]


def apply_all(objs: Iterable[Obj]) -> int:
    """Apply each object (create or patch to match); conflicts with other managers are forced,
    since the operator owns every field it renders. Returns how many were applied."""
    count = 0
    for obj in objs:
        resource = dynamic().resources.get(api_version=obj["apiVersion"], kind=obj["kind"])
        resource.server_side_apply(
            body=obj,
            name=obj["metadata"]["name"],
            namespace=obj["metadata"].get("namespace"),
            field_manager=FIELD_MANAGER,
            force_conflicts=True,
        )
        count += 1
    return count


def deployments(namespace: str, names: Iterable[str]) -> list[Obj]:
    """The live Deployments of those names (missing ones are left out)."""
    resource = dynamic().resources.get(api_version="apps/v1", kind="Deployment")
    wanted = set(names)
    found = resource.get(namespace=namespace).to_dict()["items"]
    return [d for d in found if d["metadata"]["name"] in wanted]
