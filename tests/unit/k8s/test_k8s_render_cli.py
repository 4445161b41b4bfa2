"""`snp-operator render FILE`: the manifests the operator would apply, printed without a
cluster; a spec the CRD refuses is refused here too, with the fields named and exit 2."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from snp_operator.main import main
from snp_operator.render import render

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "deploy/k8s/samples/platform.yaml"
POLICY = {p.name: p.read_text() for p in sorted((ROOT / "policies").iterdir()) if p.is_file()}


def test_it_prints_what_render_gives_for_the_sample_platform(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["render", str(SAMPLE), "--policy-dir", str(ROOT / "policies")]) == 0
    out, err = capsys.readouterr()
    printed = [d for d in yaml.safe_load_all(out) if d]
    platform = next(yaml.safe_load_all(SAMPLE.read_text()))  # the Tenant after it renders nothing
    assert printed == render("snp", platform["spec"], POLICY)
    assert f"# {len(printed)} objects" in err


def test_the_installed_console_script_renders_from_stdin_with_the_checkout_s_policy() -> None:
    script = shutil.which("snp-operator")
    assert script, "snp-operator is not installed in the workspace"
    done = subprocess.run(
        [script, "render", "-"],
        input=SAMPLE.read_text(),
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
    )
    assert done.returncode == 0, done.stderr
    kinds = {d["kind"] for d in yaml.safe_load_all(done.stdout) if d}
    assert {"Deployment", "Service", "NetworkPolicy", "ConfigMap"} <= kinds
    policy = next(
        d for d in yaml.safe_load_all(done.stdout) if d and d["metadata"]["name"] == "snp-policy"
    )
    assert set(policy["data"]) == {"authz.rego", "matrix.json"}


BAD = """\
apiVersion: snp.saferneighbourhoods.org/v1alpha1
kind: Platform
metadata: {name: snp}
spec:
  kafka: {bootstrap: no-port}
  keysSecret: snp-keys
  services: {identity: {replicas: 0}}
"""


def test_a_bad_spec_is_refused_with_every_wrong_field_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "platform.yaml"
    path.write_text(BAD)
    assert main(["render", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing half-rendered
    assert "Platform snp is not valid" in err
    assert "spec.kafka.bootstrap: 'no-port' does not match" in err
    assert "spec.services.identity: 'database' is a required property" in err
    assert "spec.services.identity.replicas: 0 is less than the minimum of 1" in err


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("kind: Tenant\napiVersion: snp.saferneighbourhoods.org/v1alpha1\n", "no Platform"),
        ("spec: [unclosed\n", "not YAML"),
        ("- a list\n", "must be a Kubernetes object"),
    ],
)
def test_files_without_a_platform_are_refused(
    text: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "platform.yaml"
    path.write_text(text)
    assert main(["render", str(path)]) == 2
    assert says in capsys.readouterr().err


def test_a_missing_file_or_policy_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(tmp_path / "absent.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["render", str(SAMPLE), "--policy-dir", str(tmp_path / "none")]) == 2
    assert "policy folder" in capsys.readouterr().err
