"""Build kube-apiserver, etcd and skaffold from their Go modules at pinned versions, cached.

Each of these modules keeps `replace` directives in its go.mod, which `go install` refuses; a
small wrapper module requires the pinned module, restates its replaces (relative ones pointed at
the published modules of the same release) and builds the main package. Binaries are cached in
`${XDG_CACHE_HOME:-~/.cache}/snp/tools/<name>-<version>/`, like the local stack's OPA. A build
writes to a temporary folder and renames the binary into place when done; a file lock stops two
processes building the same tool at once.

    python -m snp_operator.buildtools [kube-apiserver etcd skaffold]   # warm the cache
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from snp_operator.versions import GO_BUILDS, GoBuild


class BuildError(Exception):
    """A tool could not be built; the message names the log to read."""


def cache_root() -> Path:
    """`${XDG_CACHE_HOME:-~/.cache}/snp`, shared with the local stack."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "snp"


def tool_path(name: str) -> Path:
    tool = GO_BUILDS[name]
    return cache_root() / "tools" / tool.cache_name / tool.name


def _say(message: str) -> None:
    print(f"[snp-operator] {message}", file=sys.stderr, flush=True)


def _run(cmd: list[str], cwd: Path, log: Path, env: dict[str, str]) -> str:
    with open(log, "a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=out, env=env)
        out.write(done.stdout.decode(errors="replace")[-4000:])
    if done.returncode != 0:
        raise BuildError(f"`{' '.join(cmd[:3])} ...` failed (exit {done.returncode}); log: {log}")
    return done.stdout.decode()


def _replace_flags(tool: GoBuild, gomod: dict[str, Any]) -> list[str]:
    """`go mod edit` flags restating the module's replaces and excludes in the wrapper."""
    flags = []
    for rep in gomod.get("Replace") or []:
        old, new = rep["Old"], rep["New"]
        if new["Path"].endswith("FORBIDDEN_DEPENDENCY"):
            continue  # etcd's guard against depending on its old module paths
        if new["Path"].startswith("."):
            if not tool.replace_version:
                raise BuildError(f"{tool.module} has a relative replace of {old['Path']}")
            flags.append(f"-replace={old['Path']}={old['Path']}@{tool.replace_version}")
        elif new.get("Version"):
            old_spec = old["Path"] + (f"@{old['Version']}" if old.get("Version") else "")
            flags.append(f"-replace={old_spec}={new['Path']}@{new['Version']}")
    for exc in gomod.get("Exclude") or []:
        flags.append(f"-exclude={exc['Path']}@{exc['Version']}")
    return flags


def _build(tool: GoBuild, go: str, work: Path, log: Path) -> Path:
    env = {**os.environ, "CGO_ENABLED": "0", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"}
    _run([go, "mod", "init", f"snp.local/tools/{tool.name}"], work, log, env)
    (work / "tools.go").write_text(
        f'//go:build tools\n\npackage tools\n\nimport _ "{tool.package}"\n'
    )
    info = json.loads(
        _run([go, "mod", "download", "-json", f"{tool.module}@{tool.version}"], work, log, env)
    )
    gomod = json.loads(_run([go, "mod", "edit", "-json", info["GoMod"]], work, log, env))
    flags = _replace_flags(tool, gomod)
    if flags:
        _run([go, "mod", "edit", *flags], work, log, env)
    _run([go, "get", f"{tool.module}@{tool.version}"], work, log, env)
    _run([go, "mod", "tidy"], work, log, env)
    out = work / tool.name
    ldflags = " ".join(("-s", "-w", *tool.ldflags))
    _run(
        [go, "build", "-trimpath", f"-ldflags={ldflags}", "-o", str(out), tool.package],
        work,
        log,
        env,
    )
    return out


def ensure(name: str) -> Path:
    """The cached binary of `name` (kube-apiserver, etcd or skaffold), built first if missing."""
    tool = GO_BUILDS[name]
    target = tool_path(name)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(cache_root() / f".{tool.cache_name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():  # another process finished the build while we waited
            return target
        for stale in target.parent.glob(f"build-{tool.name}-*"):
            shutil.rmtree(stale, ignore_errors=True)  # remains of a killed build
        go = shutil.which("go")
        if go is None:
            raise BuildError(f"Go is needed to build {tool.name} {tool.version} (once, cached)")
        log = target.parent / "build.log"
        _say(f"building {tool.package}@{tool.version} (first time only, takes minutes); log: {log}")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"build-{tool.name}-", dir=target.parent) as tmp:
            _build(tool, go, Path(tmp), log).replace(target)
        _say(f"built {target} in {time.monotonic() - started:.0f}s")
    return target


def main(argv: list[str] | None = None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(GO_BUILDS)
    for name in names:
        print(ensure(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
