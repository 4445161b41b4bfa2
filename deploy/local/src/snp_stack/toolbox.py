"""`make tools`: fetch and build every external tool once, before any test or stack needs it.

Tests and throwaway stacks only `require` a tool, so no per-test timeout can kill a cold build
(a Go build of kube-apiserver takes many minutes on two cores). Kafka's download runs beside the
Go builds; the Go builds run one after another, because each already uses every core.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from snp_stack import tools, webtools
from snp_stack.errors import StackError


@dataclass(frozen=True)
class Tool:
    """A tool: where its cached build lives, and how to make it."""

    name: str
    path: Callable[[], Path]
    ensure: Callable[[], Path]
    lane: str  # tools in one lane are built one after another


def _stack_tool(name: str) -> Tool:
    return Tool(name, lambda: tools.go_tool_path(name), lambda: tools.ensure_go_tool(name), "go")


def _operator_tool(name: str) -> Tool:
    # The operator's package builds its own test tools (kube-apiserver, etcd, skaffold); both
    # packages are members of the one workspace, so it is installed wherever this one is.
    import snp_operator.buildtools as buildtools

    return Tool(name, lambda: buildtools.tool_path(name), lambda: buildtools.ensure(name), "go")


def catalogue() -> list[Tool]:
    """Every external tool the stack, the checks and the tests use, in build order."""
    return [
        Tool("kafka", tools.kafka_home, tools.ensure_kafka, "maven"),
        _stack_tool("opa"),
        _stack_tool("regal"),
        _operator_tool("etcd"),
        _operator_tool("skaffold"),
        _operator_tool("kube-apiserver"),
        Tool("npm", webtools.npm_modules, webtools.ensure_npm, "npm"),
        Tool("chromium", webtools.chromium_path, webtools.ensure_chromium, "apt"),
        Tool("promtool", webtools.promtool_path, webtools.ensure_promtool, "apt"),
    ]


def _built(tool: Tool) -> bool:
    path = tool.path()
    return (path / "libs").is_dir() if tool.name == "kafka" else path.exists()


def _tool(name: str) -> Tool:
    return next(t for t in catalogue() if t.name == name)


def ensure(name: str) -> Path:
    """The cached tool, built first when missing."""
    return _tool(name).ensure()


def require(name: str) -> Path:
    """The cached tool, or a StackError telling to run `make tools`: tests never build."""
    tool = _tool(name)
    if not _built(tool):
        raise StackError(f"{name} is not built yet: run `make tools` first (it builds it once)")
    return tool.path()


class _Progress:
    def __init__(self, total: int) -> None:
        self.total, self.ready = total, 0
        self.lock = threading.Lock()

    def done(self, name: str, seconds: float, path: Path) -> None:
        with self.lock:
            self.ready += 1
            print(f"[tools {self.ready}/{self.total}] {name} ready in {seconds:.0f}s: {path}")
            sys.stdout.flush()


def _build_lane(lane: list[Tool], progress: _Progress) -> None:
    for tool in lane:
        print(f"[tools] building {tool.name} (first time only; its log is named below)", flush=True)
        started = time.monotonic()
        path = tool.ensure()
        progress.done(tool.name, time.monotonic() - started, path)


def build_all() -> int:
    """Build what is missing, lanes in parallel; print one line per tool; 0 when all are ready."""
    wanted = catalogue()
    missing = [t for t in wanted if not _built(t)]
    if not missing:
        print(f"[tools] all {len(wanted)} tools are cached in {tools.cache_root()}")
        return 0
    print(
        f"[tools] {len(wanted) - len(missing)}/{len(wanted)} cached; building: "
        f"{', '.join(t.name for t in missing)}",
        flush=True,
    )
    lanes: dict[str, list[Tool]] = {}
    for tool in missing:
        lanes.setdefault(tool.lane, []).append(tool)
    progress = _Progress(len(missing))
    failures = []
    with ThreadPoolExecutor(max_workers=len(lanes)) as pool:
        futures: list[Future[None]] = [
            pool.submit(_build_lane, lane, progress) for lane in lanes.values()
        ]
        for future in futures:
            try:
                future.result()
            except Exception as error:  # a build's own error names its log
                failures.append(str(error))
    for failure in failures:
        print(f"[tools] FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0
