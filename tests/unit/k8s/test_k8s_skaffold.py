"""skaffold.yaml, checked by skaffold itself (built from its Go module at the pinned version,
cached): it renders offline, with an artifact per image, and rewrites the Platform's images."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from snp_stack.toolbox import require

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
CONFIG = yaml.safe_load((ROOT / "skaffold.yaml").read_text())
ARTIFACTS = {a["image"]: a for a in CONFIG["build"]["artifacts"]}


def skaffold_render(tmp_path: Path, *args: str) -> list[dict[str, Any]]:
    skaffold = require("skaffold")
    cmd = [str(skaffold), "render", "--offline", "--update-check=false", "--interactive=false"]
    # No kubeconfig and a fresh HOME: nothing from this machine's clusters leaks in.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = tmp_path / "rendered.yaml"  # stdout carries notices too
    done = subprocess.run(
        [*cmd, f"--output={out}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [doc for doc in yaml.safe_load_all(out.read_text()) if doc]


def test_every_image_has_an_artifact_with_its_dockerfile() -> None:
    services = sorted(p.parent.name for p in (ROOT / "services").glob("*/pyproject.toml"))
    assert set(ARTIFACTS) == {"snp-operator", *(f"snp-{s}" for s in services)}
    for artifact in ARTIFACTS.values():
        assert artifact["context"] == "."  # images build from the repository root
        assert (ROOT / artifact["docker"]["dockerfile"]).is_file()


@pytest.mark.parametrize("profile", ["", "dev", "ci"])
def test_it_renders_offline(profile: str, tmp_path: Path) -> None:
    objs = skaffold_render(tmp_path, "--digest-source=none", *(["-p", profile] if profile else []))
    kinds = {(o["kind"], o["metadata"]["name"]) for o in objs}
    assert ("CustomResourceDefinition", "platforms.snp.saferneighbourhoods.org") in kinds
    assert ("Deployment", "snp-operator") in kinds and ("Platform", "snp") in kinds


def test_built_tags_reach_the_operator_and_the_platform(tmp_path: Path) -> None:
    builds = [{"imageName": name, "tag": f"registry.test/{name}:abc123"} for name in ARTIFACTS]
    built = tmp_path / "built.json"
    built.write_text(json.dumps({"builds": builds}))
    objs = skaffold_render(tmp_path, f"--build-artifacts={built}", "--digest-source=tag")
    operator = next(o for o in objs if o["kind"] == "Deployment")
    assert operator["spec"]["template"]["spec"]["containers"][0]["image"] == (
        "registry.test/snp-operator:abc123"
    )
    platform = next(o for o in objs if o["kind"] == "Platform")
    for name, service in platform["spec"]["services"].items():
        assert service["image"] == f"registry.test/snp-{name}:abc123"
