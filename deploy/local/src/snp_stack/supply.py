"""`snp-stack audit` and `snp-stack sbom`: the supply chain checks of `make test`.

The audit exports the locked dependencies (`uv export`, every package and group, without the
workspace's own) and runs pip-audit over them against OSV. Where OSV cannot be reached (as on
machines that reach only package registries) it audits against the offline snapshot in
deploy/supply/advisories.json, served on loopback, and says how old that snapshot is. A
vulnerability fails the audit unless deploy/supply/audit-ignore.toml lists it with a reason,
a reviewer and an expiry date that has not passed. The SBOM step writes one CycloneDX document
per image (its locked runtime dependencies, and the base images its Dockerfile names).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from snp_stack import advisories
from snp_stack.errors import StackError

OSV_URL = "https://api.osv.dev/v1/query"
# Past this age the offline snapshot is reported as stale (the audit still runs).
STALE_AFTER = dt.timedelta(days=90)
REQUIRED = ("id", "package", "reason", "reviewed_by", "expires")


@dataclass(frozen=True)
class Ignore:
    """A vulnerability accepted for a while: why, who reviewed it, until when."""

    id: str
    package: str
    reason: str
    reviewed_by: str
    expires: dt.date


def read_ignores(path: Path, today: dt.date) -> list[Ignore]:
    """The ignore list; refuses an entry missing a field, or whose expiry has passed."""
    entries = tomllib.loads(path.read_text()).get("ignore", []) if path.exists() else []
    found = []
    for n, entry in enumerate(entries, 1):
        missing = [key for key in REQUIRED if not entry.get(key)]
        if missing:
            raise StackError(f"{path.name} entry {n}: missing {', '.join(missing)}")
        expires = entry["expires"]
        if not isinstance(expires, dt.date):
            raise StackError(f"{path.name} entry {n}: expires must be a date (2027-01-31)")
        if expires < today:
            raise StackError(
                f"{path.name}: the ignore of {entry['id']} ({entry['package']}) expired on "
                f"{expires}: review it again (upgrade, or renew it with a new date and reason)"
            )
        found.append(
            Ignore(entry["id"], entry["package"], entry["reason"], entry["reviewed_by"], expires)
        )
    return found


def export(root: Path, *args: str) -> str:
    """Requirements of the lock file, pinned, without hashes and without workspace members."""
    done = subprocess.run(
        ["uv", "export", "--frozen", "--no-hashes", "--no-emit-workspace", "--quiet", *args],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise StackError(f"uv export failed: {done.stderr.strip()}")
    return done.stdout


def osv_reachable(timeout: float = 3.0) -> bool:
    probe = {"package": {"name": "pip", "ecosystem": "PyPI"}, "version": "0"}
    try:
        return httpx.post(OSV_URL, json=probe, timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def _pip_audit(requirements: Path, osv_url: str, ignores: list[Ignore], cache: Path) -> int:
    cmd = [sys.executable, "-m", "pip_audit", "--requirement", str(requirements)]
    cmd += ["--no-deps", "--disable-pip", "--vulnerability-service", "osv"]
    cmd += ["--osv-url", osv_url, "--cache-dir", str(cache), "--progress-spinner", "off"]
    cmd += ["--desc", "on", "--aliases", "on"]
    for ignore in ignores:
        cmd += ["--ignore-vuln", ignore.id]
    return subprocess.run(cmd).returncode


def audit(root: Path, work: Path, today: dt.date | None = None, online: bool | None = None) -> int:
    """Audit the lock file; 0 when nothing known and unaccepted affects it."""
    supply = root / "deploy/supply"
    ignores = read_ignores(supply / "audit-ignore.toml", today or dt.date.today())
    work.mkdir(parents=True, exist_ok=True)
    requirements = work / "requirements-all.txt"
    requirements.write_text(export(root, "--all-packages", "--all-groups"))
    count = sum(1 for line in requirements.read_text().splitlines() if "==" in line)
    for ignore in ignores:
        print(f"accepted until {ignore.expires}: {ignore.id} in {ignore.package}: {ignore.reason}")
    if online if online is not None else osv_reachable():
        print(f"auditing {count} locked packages against OSV, live")
        return _pip_audit(requirements, OSV_URL, ignores, work / "pip-audit-cache")
    snapshot = advisories.load(supply / "advisories.json")
    date = dt.datetime.fromisoformat(snapshot["date"])
    age = (today or dt.date.today()) - date.date()
    print(
        f"OSV is not reachable from here: auditing {count} locked packages against the offline "
        f"snapshot of {snapshot['source']} dated {date.date()} ({age.days} days old, commit "
        f"{snapshot['commit'][:12]}, {len(snapshot['records'])} records for the locked packages)"
    )
    if age > STALE_AFTER:
        print(
            f"WARNING: the offline advisories are older than {STALE_AFTER.days} days: refresh "
            "them (docs/supply-chain.md) where the advisory database can be cloned"
        )
    with advisories.osv_endpoint(snapshot["records"]) as url:
        return _pip_audit(requirements, url, ignores, work / "pip-audit-cache")


IMAGES = {
    "identity": "services/identity",
    "membership": "services/membership",
    "documents": "services/documents",
    "messaging": "services/messaging",
    "audit": "services/audit",
    "portal": "services/portal",
    "operator": "deploy/k8s/operator",
}
_FROM = re.compile(r"^(?:ARG [A-Z_]+_IMAGE=|FROM )(\S+:\S+?)(?:\s|$)", re.MULTILINE)


def base_images(dockerfile: str) -> list[str]:
    """The images a Dockerfile builds from (its `ARG *_IMAGE=` defaults and literal FROMs)."""
    return [m for m in _FROM.findall(dockerfile) if not m.startswith("$")]


def _container(reference: str) -> dict[str, Any]:
    name, _, digest = reference.partition("@")
    image, _, tag = name.rpartition(":")
    component: dict[str, Any] = {
        "type": "container",
        "bom-ref": reference,
        "name": image,
        "version": tag,
    }
    if digest:
        component["hashes"] = [{"alg": "SHA-256", "content": digest.removeprefix("sha256:")}]
    return component


def _sbom_of(root: Path, out: Path, image: str, folder: str) -> Path:
    package = f"snp-{image}"
    requirements = out / f"{package}.requirements.txt"
    requirements.write_text(export(root, "--no-dev", "--package", package))
    target = out / f"{package}.cdx.json"
    cmd = [sys.executable, "-m", "cyclonedx_py", "requirements", str(requirements)]
    cmd += ["--pyproject", str(root / folder / "pyproject.toml"), "--mc-type", "application"]
    # Validation against the CycloneDX schema takes many seconds per document; the unit test
    # validates what this writes instead (tests/unit/stack/test_supply_chain.py).
    cmd += ["--output-format", "JSON", "--output-reproducible", "--no-validate"]
    done = subprocess.run([*cmd, "--output-file", str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        raise StackError(f"cyclonedx-py failed for {package}: {done.stderr.strip()[-2000:]}")
    document = json.loads(target.read_text())
    dockerfile = (root / folder / "Dockerfile").read_text()
    document.setdefault("components", []).extend(_container(ref) for ref in base_images(dockerfile))
    target.write_text(json.dumps(document, indent=2) + "\n")
    requirements.unlink()
    return target


def sbom(root: Path, out: Path, images: dict[str, str] = IMAGES) -> list[Path]:
    """A CycloneDX JSON SBOM per image in `out`: its locked runtime packages (cyclonedx-py
    over `uv export --package`) plus the base images of its Dockerfile."""
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=4) as pool:
        jobs = [pool.submit(_sbom_of, root, out, image, f) for image, f in images.items()]
        return [job.result() for job in jobs]
