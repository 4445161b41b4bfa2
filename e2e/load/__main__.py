"""`make load`: a throwaway stack, the load test's people made on it, then Locust (headless)
ramping the mixed profile up a step at a time until a step's p95 passes the limit. Prints each
step, the knee (users, requests per second, p50/p95/p99 per endpoint, errors below it) and
every process's memory at the start and the end; saves the plot as SVG and the steps as JSON
in `.artifacts/load/`. Knobs (environment): SNP_LOAD_STEP_SECONDS (30), SNP_LOAD_STEP_USERS
(10), SNP_LOAD_MAX_USERS (200), SNP_LOAD_P95_MS (500), SNP_LOAD_GROUPS (20)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from e2e.load import knee, plot, world
from e2e.memory import memory_mib, memory_table
from e2e.seed_members import PASSWORD
from snp_stack.testing import throwaway_stack

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".artifacts" / "load"


def _setting(name: str, default: str) -> str:
    return os.environ.get(f"SNP_LOAD_{name}", default)


def _locust(world_file: Path, steps_file: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SNP_LOAD_WORLD": str(world_file),
        "SNP_LOAD_STEPS": str(steps_file),
        "SNP_LOAD_PASSWORD": PASSWORD,
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "e2e" / "load" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(command, env=env, cwd=ROOT, check=False)


def main() -> None:
    limit_ms = float(_setting("P95_MS", "500"))
    max_users = int(_setting("MAX_USERS", "200"))
    groups = int(_setting("GROUPS", "20"))
    # Tokens outlive the run: a person signed in once does not sign in again to keep going.
    env = {**os.environ, "SNP_ACCESS_TOKEN_LIFETIME_SECONDS": "14400"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with throwaway_stack(env=env) as stack, tempfile.TemporaryDirectory() as scratch:
        print(f"== load: making {max_users} residents in {groups} groups, police, auditors ==")
        people = world.build(stack, residents=max_users, groups=groups, police=10, auditors=5)
        world_file = Path(scratch) / "world.json"
        people.save(world_file)
        steps_file = ARTIFACTS / "steps.json"
        steps_file.unlink(missing_ok=True)
        before = memory_mib(stack)
        print(f"== load: ramping up until p95 passes {limit_ms:.0f} ms ==", flush=True)
        _locust(world_file, steps_file)
        after = memory_mib(stack)
    if not steps_file.exists():
        raise SystemExit("Locust measured no step: see its output above")
    steps = [knee.Step.from_json(raw) for raw in json.loads(steps_file.read_text())]
    _report(steps, limit_ms, before, after)


def _report(
    steps: list[knee.Step], limit_ms: float, before: dict[str, float], after: dict[str, float]
) -> None:
    print("\n== every step, measured afresh ==")
    print(knee.steps_table(steps))
    at = knee.knee(steps, limit_ms)
    svg = plot.save(steps, at, limit_ms, ARTIFACTS / "knee.svg")
    if at is None:
        print(f"\nno knee: even the first step's p95 passed {limit_ms:.0f} ms")
    else:
        found = "the knee" if knee.passed_limit(steps, limit_ms) else "the top of the ramp"
        print(
            f"\n== {found}: {at.users} users, {at.rps:,.1f} requests/s, p50"
            f" {at.total.p50_ms:,.0f} ms, p95 {at.total.p95_ms:,.0f} ms, p99"
            f" {at.total.p99_ms:,.0f} ms (limit p95 {limit_ms:.0f} ms) =="
        )
        print(knee.endpoints_table(at))
    failed = knee.failures_below(steps, at)
    print(f"\nfailed requests up to the knee: {failed} (goal 0)")
    print("\n== memory of every process ==")
    print(memory_table(before, after))
    print(f"\nplot: {svg}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
