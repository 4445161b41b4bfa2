"""Caches outside the checkout (so CI's clean clones reuse them): Go-built tools, Kafka's jars.

A build writes to a temporary name and is renamed into place only when complete, so a
half-finished build is never mistaken for a cached one; a file lock stops two stacks building
the same thing at once.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from snp_stack import versions
from snp_stack.errors import StackError, say


def cache_root() -> Path:
    """`${XDG_CACHE_HOME:-~/.cache}/snp`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "snp"


@contextmanager
def _locked(name: str, leftovers: Path) -> Iterator[None]:
    """Hold the build lock of `name`; clear work folders matching `leftovers` (a glob), which
    are then known to be remains of a build that was killed, since building needs the lock."""
    cache_root().mkdir(parents=True, exist_ok=True)
    with open(cache_root() / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stale in leftovers.parent.glob(leftovers.name):
            shutil.rmtree(stale, ignore_errors=True)
        yield


def require(program: str, why: str) -> str:
    """The program's path, or a StackError saying what is missing and why it is needed."""
    path = shutil.which(program)
    if path is None:
        raise StackError(f"{program} not found on PATH: {why}")
    return path


def _run(cmd: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> None:
    with open(log, "a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        done = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
    if done.returncode != 0:
        raise StackError(f"`{' '.join(cmd[:3])} ...` failed (exit {done.returncode})", log)


def go_tool_path(name: str) -> Path:
    """Where the pinned build of `opa` or `regal` lives in the cache."""
    tool = versions.GO_TOOLS[name]
    return cache_root() / "tools" / tool.cache_name / tool.name


def ensure_go_tool(name: str) -> Path:
    """The cached binary, built with `go build` through a small wrapper module if missing."""
    tool = versions.GO_TOOLS[name]
    target = go_tool_path(name)
    if target.exists():
        return target
    with _locked(tool.cache_name, target.parent / f"build-{tool.name}-*"):
        if target.exists():  # another process finished the build while we waited
            return target
        go = require("go", f"Go is needed to build {tool.name} {tool.version} (once, cached)")
        target.parent.mkdir(parents=True, exist_ok=True)
        log = target.parent / "build.log"
        say(f"building {tool.module}@{tool.version} with go build (first time only, takes minutes)")
        say(f"  build log: {log}")
        env = {**os.environ, "CGO_ENABLED": "0", "GOFLAGS": "-mod=mod"}
        with tempfile.TemporaryDirectory(prefix=f"build-{tool.name}-", dir=target.parent) as tmp:
            work = Path(tmp)
            (work / "go.mod").write_text(f"module snp.local/tools/{tool.name}\n\ngo 1.23\n")
            # A tools file keeps the module required, so `go build <module>` resolves it.
            (work / "tools.go").write_text(
                f'//go:build tools\n\npackage tools\n\nimport _ "{tool.module}"\n'
            )
            _run([go, "get", f"{tool.module}@{tool.version}"], work, log, env)
            # Built inside the work folder, then renamed: never a partial file at `target`.
            _run([go, "build", "-o", str(work / tool.name), tool.module], work, log, env)
            (work / tool.name).replace(target)
        say(f"built {target}")
    return target


def kafka_home() -> Path:
    """The cached Kafka distribution: `libs/` holds every runtime jar of the broker."""
    return cache_root() / f"kafka-{versions.KAFKA_VERSION}"


_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>snp.local</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>{deps}</dependencies>
</project>
"""


def _dependency(coordinates: str) -> str:
    group, artifact, version = coordinates.split(":")
    return (
        f"<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
        f"<version>{version}</version></dependency>"
    )


def ensure_kafka() -> Path:
    """Kafka's home in the cache, its jars fetched from Maven Central with Maven if missing."""
    home = kafka_home()
    artifacts = (versions.KAFKA_ARTIFACT, versions.LOG4J_SLF4J_ARTIFACT)
    return _fetch_jars(home, artifacts, f"kafka_2.13-{versions.KAFKA_VERSION}.jar")


def kafka_tools_home() -> Path:
    """Kafka's command-line tools (`ProducerPerformance` for the benchmarks), beside the broker:
    their `libs/` goes on the classpath after the broker's."""
    return cache_root() / f"kafka-tools-{versions.KAFKA_VERSION}"


def ensure_kafka_tools() -> Path:
    """The tools' jars, fetched like the broker's the first time a benchmark needs them."""
    jar = f"kafka-tools-{versions.KAFKA_VERSION}.jar"
    return _fetch_jars(kafka_tools_home(), (versions.KAFKA_TOOLS_ARTIFACT,), jar)


def _fetch_jars(home: Path, artifacts: tuple[str, ...], main_jar: str) -> Path:
    """`home/libs` holding the artifacts and their runtime dependencies, from Maven Central."""
    if (home / "libs").is_dir():
        return home
    with _locked(home.name, home.parent / f".{home.name}-*"):
        if (home / "libs").is_dir():
            return home
        mvn = require("mvn", "Maven is needed to fetch Kafka's jars from Maven Central (once)")
        home.parent.mkdir(parents=True, exist_ok=True)
        log = home.parent / f"{home.name}.fetch.log"
        say(f"fetching {', '.join(artifacts)} from Maven Central with Maven")
        say(f"  (first use only; may take a minute or two); log: {log}")
        with tempfile.TemporaryDirectory(prefix=f".{home.name}-", dir=home.parent) as tmp:
            work = Path(tmp)
            deps = "".join(_dependency(c) for c in artifacts)
            (work / "pom.xml").write_text(_POM.format(deps=deps))
            goal = f"{versions.DEPENDENCY_PLUGIN}:copy-dependencies"
            out = work / "dist"
            cmd = [mvn, "-B", goal, "-DincludeScope=runtime", f"-DoutputDirectory={out}/libs"]
            _run(cmd, work, log)
            if not list((out / "libs").glob(main_jar)):
                raise StackError(f"Maven finished but {main_jar} is missing", log)
            out.rename(home)
        say(f"jars cached in {home / 'libs'}")
    return home
