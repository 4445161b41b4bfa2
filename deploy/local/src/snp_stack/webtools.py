"""The portal's browser-side tools: GOV.UK Frontend and axe-core from npm, and Debian's Chromium;
and Debian's promtool, which checks the alert rules the operator renders.

The npm packages are pinned by services/portal/package.json and package-lock.json; they are
installed with `npm ci` into `<cache>/npm-<hash of both files>/`, so a change of pins is a new
folder and an unchanged one is never reinstalled. Chromium is Debian's `chromium` package: no
test ever downloads a browser build of its own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from snp_stack import tools
from snp_stack.errors import StackError, say

CHROMIUM = Path("/usr/bin/chromium")
PROMTOOL = Path("/usr/bin/promtool")
_PINS = ("package.json", "package-lock.json")


def _portal_dir() -> Path:
    # deploy/local/src/snp_stack/webtools.py -> the checkout's services/portal
    root = os.environ.get("SNP_REPO_ROOT") or str(Path(__file__).resolve().parents[4])
    return Path(root) / "services" / "portal"


def npm_home() -> Path:
    """`<cache>/npm-<hash>/`: its `node_modules/` holds govuk-frontend and axe-core."""
    digest = hashlib.sha256()
    for name in _PINS:
        digest.update((_portal_dir() / name).read_bytes())
    return tools.cache_root() / f"npm-{digest.hexdigest()[:16]}"


def npm_modules() -> Path:
    return npm_home() / "node_modules"


def ensure_npm() -> Path:
    """The installed pinned packages, `npm ci` first if missing (once per set of pins)."""
    target = npm_modules()
    if target.is_dir():
        return target
    home = npm_home()
    with tools._locked(home.name, home.parent / f".{home.name}-*"):
        if target.is_dir():
            return target
        npm = tools.require("npm", "npm installs GOV.UK Frontend and axe-core for the portal")
        home.parent.mkdir(parents=True, exist_ok=True)
        log = home.parent / f"{home.name}.install.log"
        say(f"installing the portal's npm packages into {home}; log: {log}")
        with tempfile.TemporaryDirectory(prefix=f".{home.name}-", dir=home.parent) as tmp:
            work = Path(tmp) / "home"
            work.mkdir()
            for name in _PINS:
                shutil.copyfile(_portal_dir() / name, work / name)
            cmd = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--omit=dev"]
            tools._run(cmd, work, log)
            if not (work / "node_modules" / "govuk-frontend" / "dist").is_dir():
                raise StackError("npm finished but govuk-frontend is missing", log)
            work.rename(home)
    return target


def chromium_path() -> Path:
    return CHROMIUM


def ensure_chromium() -> Path:
    """Debian's Chromium, installed with apt-get (as root) when missing."""
    return _apt_installed("chromium", CHROMIUM)


def promtool_path() -> Path:
    return PROMTOOL


def ensure_promtool() -> Path:
    """promtool from Debian's `prometheus` package, which checks the operator's alert rules."""
    return _apt_installed("prometheus", PROMTOOL)


def _apt_installed(package: str, binary: Path) -> Path:
    """`binary`, installing Debian's `package` with apt-get (as root) when it is missing."""
    if binary.exists():
        return binary
    if os.geteuid() != 0:
        raise StackError(f"{binary.name} is missing: run `sudo apt-get install -y {package}`")
    log = tools.cache_root() / f"{package}.install.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    say(f"installing Debian's {package} with apt-get; log: {log}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", package]
    with open(log, "a") as out:
        done = subprocess.run(install, stdout=out, stderr=subprocess.STDOUT, env=env)
        if done.returncode != 0:  # a stale package list: refresh it once and try again
            subprocess.run(["apt-get", "update"], stdout=out, stderr=subprocess.STDOUT, env=env)
            done = subprocess.run(install, stdout=out, stderr=subprocess.STDOUT, env=env)
    if done.returncode != 0 or not binary.exists():
        raise StackError(f"apt-get could not install {package}", log)
    return binary
