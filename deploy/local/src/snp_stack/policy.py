"""`policy-check`: the Rego gates CI runs on policies/ (format, strict check, lint, tests)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from snp_stack import tools

COVERAGE_THRESHOLD = 95


def _uncovered(opa: Path, policies: Path) -> list[str]:
    """`file:row` (or `file:row-row`) of each uncovered range, from the JSON coverage report."""
    done = subprocess.run(
        [str(opa), "test", str(policies), "--coverage"], capture_output=True, text=True
    )
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return []
    spans = [
        (name, span["start"]["row"], span["end"]["row"])
        for name, data in report.get("files", {}).items()
        for span in data.get("not_covered", [])
    ]
    # Several uncovered expressions on one line come as several spans: list each line once.
    return list(dict.fromkeys(f"{n}:{a}" if a == b else f"{n}:{a}-{b}" for n, a, b in spans))


def _coverage_step(opa: Path, policies: Path) -> bool:
    cmd = [str(opa), "test", str(policies), "--coverage", "--threshold", str(COVERAGE_THRESHOLD)]
    print(f"$ {' '.join(cmd)}", flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode == 0:
        coverage = json.loads(done.stdout).get("coverage", 0.0)
        print(f"coverage {coverage:.2f}% (threshold {COVERAGE_THRESHOLD}%)")
        return True
    print((done.stderr or done.stdout).strip())
    missing = _uncovered(opa, policies)
    if missing:
        print("not covered: " + ", ".join(missing))
    return False


def check(policies: Path) -> int:
    """Run every gate (all of them, even after a failure); 0 only when all pass."""
    if not any(policies.rglob("*.rego")):
        print(f"policy-check: no .rego files in {policies}: no policy to check yet")
        return 1
    opa, regal = tools.ensure_go_tool("opa"), tools.ensure_go_tool("regal")
    target = str(policies)
    steps: list[tuple[list[str], str]] = [
        (
            [str(opa), "fmt", "--list", "--fail", target],
            "files listed are not formatted: see `opa fmt --diff policies`; fix with `make fmt`",
        ),
        ([str(opa), "check", "--strict", target], "opa check --strict found errors (above)"),
        ([str(regal), "lint", target], "Regal found lint violations (above)"),
        ([str(opa), "test", target], "some Rego tests failed (above)"),
    ]
    failed = []
    for cmd, hint in steps:
        print(f"$ {' '.join(cmd)}", flush=True)
        if subprocess.run(cmd).returncode != 0:
            print(f"FAILED: {hint}", flush=True)
            failed.append(Path(cmd[0]).name + " " + cmd[1])
    if not _coverage_step(opa, policies):
        failed.append("opa test --coverage")
    if failed:
        print(f"policy-check failed: {', '.join(failed)}")
        return 1
    print("policy-check passed")
    return 0
