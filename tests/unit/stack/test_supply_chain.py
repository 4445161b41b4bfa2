"""The supply chain checks: pip-audit against the offline advisory snapshot finds a known flaw
and fails; the ignore list needs a reason, a reviewer and a date not passed; each image gets a
valid CycloneDX SBOM of its locked packages and base images."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from snp_stack import advisories, supply
from snp_stack.errors import StackError

ROOT = Path(__file__).resolve().parents[3]
SNAPSHOT = advisories.load(ROOT / "deploy/supply/advisories.json")
TODAY = dt.date(2026, 12, 2)


def test_the_snapshot_says_where_it_comes_from_and_covers_the_lock_file() -> None:
    assert SNAPSHOT["source"] == "pypa/advisory-database"
    assert dt.datetime.fromisoformat(SNAPSHOT["date"]).year >= 2024
    locked = advisories.locked_names(ROOT / "uv.lock")
    named = {a["package"]["name"] for r in SNAPSHOT["records"] for a in r["affected"]}
    assert {"jinja2", "cryptography", "requests"} <= named <= locked | named


@pytest.mark.parametrize(
    ("name", "version", "flagged"),
    [
        ("Jinja2", "2.11.2", True),  # listed among the affected versions
        ("jinja2", "2.11.3", False),  # the fix
        ("jinja2", "2.11.2.post9", True),  # not listed, but inside introduced..fixed
        ("jinja2", "3.1.6", False),
        ("not-a-package", "1.0", False),
    ],
)
def test_affecting_reads_listed_versions_and_ranges(name: str, version: str, flagged: bool) -> None:
    ids = {r["id"] for r in advisories.affecting(SNAPSHOT["records"], name, version)}
    assert ("PYSEC-2021-66" in ids) is flagged


def _run(tmp_path: Path, ignores: list[supply.Ignore]) -> int:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("jinja2==2.11.2\nmarkupsafe==3.0.2\n")
    with advisories.osv_endpoint(SNAPSHOT["records"]) as url:
        return supply._pip_audit(requirements, url, ignores, tmp_path / "cache")


def test_pip_audit_against_the_snapshot_fails_on_a_known_vulnerability(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path, []) == 1
    out = capfd.readouterr().out
    assert "jinja2" in out and "PYSEC-2021-66" in out and "2.11.3" in out  # with its fix


def test_a_reviewed_ignore_lets_it_pass(tmp_path: Path) -> None:
    affecting = advisories.affecting(SNAPSHOT["records"], "jinja2", "2.11.2")
    accepted = [supply.Ignore(r["id"], "jinja2", "test", "test", TODAY) for r in affecting]
    assert _run(tmp_path, accepted) == 0


def test_ignores_need_every_field_and_an_expiry_not_passed(tmp_path: Path) -> None:
    path = tmp_path / "audit-ignore.toml"
    entry = 'id = "PYSEC-2021-66"\npackage = "jinja2"\nreviewed_by = "a"\n'
    path.write_text(f'[[ignore]]\n{entry}reason = "r"\nexpires = 2026-12-02\n')
    (found,) = supply.read_ignores(path, TODAY)
    assert found.expires == TODAY
    with pytest.raises(StackError, match="expired on 2026-12-02"):
        supply.read_ignores(path, TODAY + dt.timedelta(days=1))
    path.write_text(f"[[ignore]]\n{entry}expires = 2027-01-01\n")
    with pytest.raises(StackError, match="missing reason"):
        supply.read_ignores(path, TODAY)
    path.write_text(f'[[ignore]]\n{entry}reason = "r"\nexpires = "soon"\n')
    with pytest.raises(StackError, match="must be a date"):
        supply.read_ignores(path, TODAY)


def test_the_checked_in_ignore_list_is_valid_today() -> None:
    supply.read_ignores(ROOT / "deploy/supply/audit-ignore.toml", dt.date.today())


def test_each_image_s_base_images_are_found() -> None:
    for image, folder in supply.IMAGES.items():
        found = supply.base_images((ROOT / folder / "Dockerfile").read_text())
        names = {ref.split("@")[0].rsplit(":", 1)[0] for ref in found}
        assert {"python", "ghcr.io/astral-sh/uv"} <= names, image
        assert ("node" in names) is (image == "portal")


def test_the_portal_sbom_is_valid_cyclonedx_with_the_locked_versions(tmp_path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    (path,) = supply.sbom(ROOT, tmp_path, {"portal": "services/portal"})
    text = path.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    document = json.loads(text)
    assert document["metadata"]["component"]["name"] == "snp-portal"
    versions = {c["name"]: c.get("version") for c in document["components"]}
    lock = tomllib.loads((ROOT / "uv.lock").read_text())["package"]
    assert versions["fastapi"] == next(p["version"] for p in lock if p["name"] == "fastapi")
    assert "pytest" not in versions  # runtime only, no dev tools
    assert "python" in versions and "node" in versions  # the base images
