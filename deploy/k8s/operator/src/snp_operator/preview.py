"""`snp-operator render platform.yaml`: print what the operator would apply for each Platform in
a file, so council IT can read the manifests before they reach a cluster. It checks each
Platform against the CRD's schema first (the API server would refuse what it refuses), then
renders exactly as the running operator does: same `render`, same policy bundle."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import jsonschema
import yaml

from snp_operator.catalogue import GROUP, VERSION
from snp_operator.render import render

Obj = dict[str, Any]
# In an image the CRD ships inside the package; in a checkout (editable install) it is the
# repository's own deploy/k8s/crds/platforms.yaml.
_K8S = Path(__file__).resolve().parents[3]


class SpecError(ValueError):
    """A file or Platform the operator would not render, with the reason in plain words."""


def platform_schema() -> Obj:
    packaged = resources.files("snp_operator").joinpath("crds/platforms.yaml")
    text = (
        packaged.read_text() if packaged.is_file() else (_K8S / "crds/platforms.yaml").read_text()
    )
    crd = yaml.safe_load(text)
    schema: Obj = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema


def default_policy_dir() -> Path:
    configured = os.environ.get("SNP_POLICY_DIR")
    if configured:
        return Path(configured)
    image = Path("/opt/snp/policies")
    return image if image.is_dir() else _K8S.parents[1] / "policies"


def read_policy(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        raise SpecError(f"policy folder {folder} does not exist (set --policy-dir)")
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.is_file()}


def _where(error: jsonschema.ValidationError) -> str:
    return ".".join(str(step) for step in error.absolute_path) or "(the resource)"


def check(platform: Mapping[str, Any], schema: Obj) -> None:
    """Refuse a Platform the CRD would refuse, naming every field that is wrong."""
    errors = sorted(
        jsonschema.Draft7Validator(schema).iter_errors(platform),
        key=lambda e: list(map(str, e.absolute_path)),
    )
    if errors:
        name = (platform.get("metadata") or {}).get("name", "?")
        lines = [f"  {_where(e)}: {e.message}" for e in errors]
        raise SpecError(f"Platform {name} is not valid:\n" + "\n".join(lines))
    if not (platform.get("metadata") or {}).get("name"):
        raise SpecError("a Platform needs metadata.name (its children are named after it)")


def platforms(text: str) -> Iterator[Obj]:
    """The Platforms among the file's documents (Tenants and others are skipped)."""
    try:
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        raise SpecError(f"not YAML: {exc}") from exc
    found = False
    for doc in documents:
        if not isinstance(doc, dict):
            raise SpecError("every document must be a Kubernetes object (a mapping)")
        if doc.get("kind") == "Platform" and doc.get("apiVersion") == f"{GROUP}/{VERSION}":
            found = True
            yield doc
    if not found:
        raise SpecError(f"no Platform ({GROUP}/{VERSION}) in the file")


def render_file(text: str, policy: Mapping[str, str], out: TextIO) -> int:
    """Check and render every Platform in `text` to `out` as YAML; how many objects."""
    schema, rendered = platform_schema(), []
    for platform in platforms(text):
        check(platform, schema)
        namespace = platform["metadata"].get("namespace")
        for obj in render(platform["metadata"]["name"], platform["spec"], policy):
            if namespace:
                obj["metadata"]["namespace"] = namespace
            rendered.append(obj)
    out.write(yaml.safe_dump_all(rendered, sort_keys=False, explicit_start=True))
    return len(rendered)


def main(path: str, policy_dir: str | None) -> int:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text()
    except OSError as exc:
        print(f"snp-operator render: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        policy = read_policy(Path(policy_dir) if policy_dir else default_policy_dir())
        count = render_file(text, policy, sys.stdout)
    except SpecError as exc:
        print(f"snp-operator render: {path}: {exc}", file=sys.stderr)
        return 2
    print(f"# {count} objects", file=sys.stderr)
    return 0
