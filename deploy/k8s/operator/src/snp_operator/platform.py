"""The Platform handlers: render, adopt, apply, report; re-apply when a child is deleted."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import kopf
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from snp_operator.apply import apply_all, deployments
from snp_operator.catalogue import GROUP, VERSION
from snp_operator.conditions import evaluate, merge
from snp_operator.render import render

Obj = dict[str, Any]
MANAGED = {"app.kubernetes.io/managed-by": "snp-operator"}
# The kinds render produces: (group, version, plural) for kopf's watches.
CHILD_KINDS = (
    ("apps", "v1", "deployments"),
    ("", "v1", "services"),
    ("", "v1", "serviceaccounts"),
    ("", "v1", "configmaps"),
    ("policy", "v1", "poddisruptionbudgets"),
    ("autoscaling", "v2", "horizontalpodautoscalers"),
    ("networking.k8s.io", "v1", "networkpolicies"),
)


def policy_files() -> dict[str, str]:
    """The policy bundle: files of $SNP_POLICY_DIR (the operator image ships policies/ there)."""
    folder = Path(os.environ.get("SNP_POLICY_DIR", "/opt/snp/policies"))
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.is_file()}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def report(platform: Obj, rendered: list[Obj], error: str = "") -> None:
    """Write the Platform's conditions from its Deployments' live state."""
    meta = platform["metadata"]
    generation = int(meta.get("generation", 0))
    wanted = [o["metadata"]["name"] for o in rendered if o["kind"] == "Deployment"]
    live = deployments(meta["namespace"], wanted)
    old = (platform.get("status") or {}).get("conditions") or []
    status = {
        "observedGeneration": generation,
        "children": len(rendered),
        "conditions": merge(old, evaluate(generation, wanted, live, error), _now()),
    }
    client.CustomObjectsApi().patch_namespaced_custom_object_status(
        GROUP, VERSION, meta["namespace"], "platforms", meta["name"], {"status": status}
    )


def reconcile(platform: Obj) -> None:
    """Render the Platform's children, adopt them, apply them all, report."""
    rendered = render(platform["metadata"]["name"], platform["spec"], policy_files())
    kopf.adopt(rendered, owner=platform)  # type: ignore[arg-type]
    try:
        apply_all(rendered)
    except ApiException as exc:
        error = f"applying failed: {exc.status} {exc.reason}"
        report(platform, rendered, error)
        raise kopf.TemporaryError(error, delay=15) from exc
    report(platform, rendered)


@kopf.on.resume(GROUP, VERSION, "platforms")
@kopf.on.create(GROUP, VERSION, "platforms")
@kopf.on.update(GROUP, VERSION, "platforms")
def platform_changed(body: kopf.Body, **_: Any) -> None:
    reconcile(_fetch(body["metadata"]["namespace"], body["metadata"]["name"]) or dict(body))


def _fetch(namespace: str, name: str) -> Obj | None:
    try:
        found: Obj = client.CustomObjectsApi().get_namespaced_custom_object(  # type: ignore[assignment]
            GROUP, VERSION, namespace, "platforms", name
        )
    except ApiException as exc:
        if exc.status == 404:
            return None
        raise
    return found


def _owner(body: kopf.Body) -> str | None:
    for ref in body["metadata"].get("ownerReferences") or []:
        if ref.get("kind") == "Platform" and ref.get("apiVersion") == f"{GROUP}/{VERSION}":
            return str(ref["name"])
    return None


def child_event(event: kopf.RawEvent, body: kopf.Body, **_: Any) -> None:
    """A child was deleted: apply again (recreates it). A Deployment changed: report again."""
    owner, namespace = _owner(body), body["metadata"].get("namespace")
    if owner is None or namespace is None:
        return
    deleted, is_deployment = event["type"] == "DELETED", body.get("kind") == "Deployment"
    if not (deleted or is_deployment):
        return
    platform = _fetch(namespace, owner)
    if platform is None or platform["metadata"].get("deletionTimestamp"):
        return  # the Platform is going: its children go with it
    if deleted:
        reconcile(platform)
    else:
        report(platform, render(owner, platform["spec"], policy_files()))


for _group, _version, _plural in CHILD_KINDS:
    kopf.on.event(_group, _version, _plural, labels=MANAGED)(child_event)
