"""Image recipes: every service's Dockerfile is one template, and its build stage's steps, run
outside a container in a clean folder, install a working service (no container engine runs here,
so this is what keeps a broken recipe from passing CI)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("identity", "membership", "documents", "messaging", "audit", "portal")
TEMPLATE = ROOT / "deploy/k8s/images/Dockerfile.template"


def _dockerfile(name: str) -> Path:
    """The service's own Dockerfile, or the template as it would be for a service not yet built."""
    own = ROOT / "services" / name / "Dockerfile"
    return own if own.exists() else TEMPLATE


IMAGES = [(name, _dockerfile(name), f"snp-{name}") for name in SERVICES]
IMAGES.append(("operator", ROOT / "deploy/k8s/operator/Dockerfile", "snp-operator"))
IGNORED = shutil.ignore_patterns("__pycache__", "*.egg-info", ".venv", ".mypy_cache")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    lines = [line.strip() for line in text.replace("\\\n", " ").splitlines()]
    pairs = [line.split(None, 1) for line in lines if line and not line.startswith("#")]
    return [(p[0].upper(), p[1] if len(p) > 1 else "") for p in pairs]


def stages(text: str) -> dict[str, list[tuple[str, str]]]:
    """Each stage's instructions by its name (`AS x`; the last, unnamed one is `final`)."""
    found: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for op, args in instructions(text):
        if op == "FROM":
            words = args.split()
            current = found.setdefault(words[2] if len(words) > 2 else "final", [])
        else:
            current.append((op, args))
    return found


def run_build_stage(text: str, root: Path) -> dict[str, str]:
    """Do what the `build` stage does with `root` standing in for the image's `/`: copy from
    the checkout, set the environment, run each RUN (cache mounts dropped). Returns the env."""
    env, workdir = dict(os.environ), root
    env.pop("VIRTUAL_ENV", None)
    for op, args in stages(text)["build"]:
        if op == "ENV":
            for pair in shlex.split(args):
                key, value = pair.split("=", 1)
                env[key] = str(root / value.lstrip("/")) if value.startswith("/") else value
        elif op == "WORKDIR":
            workdir = root / args.lstrip("/")
            workdir.mkdir(parents=True, exist_ok=True)
        elif op == "COPY" and not args.startswith("--from"):
            *sources, target = args.split()
            for source in sources:
                src, dst = ROOT / source, workdir / target
                if src.is_dir():
                    shutil.copytree(src, dst, ignore=IGNORED)
                else:
                    dst.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, dst / src.name)
        elif op == "RUN":
            words = [w for w in shlex.split(args) if not w.startswith("--mount=")]
            done = subprocess.run(words, cwd=workdir, env=env, capture_output=True, text=True)
            assert done.returncode == 0, f"RUN {args}\n{done.stderr[-3000:]}"
    return env


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_the_templated_dockerfile(name: str) -> None:
    folder = ROOT / "services" / name
    if not (folder / "pyproject.toml").exists():
        # An empty services/<name>/ would break the uv workspace (`services/*`), so a service's
        # Dockerfile arrives with its package.
        pytest.skip(f"services/{name} has no package yet")
    template = (ROOT / "deploy/k8s/images/Dockerfile.template").read_text()
    wanted = template.replace("@SERVICE@", name)
    assert (folder / "Dockerfile").exists(), (
        f"run: sed s/@SERVICE@/{name}/g deploy/k8s/images/Dockerfile.template"
        f" > services/{name}/Dockerfile"
    )
    assert (folder / "Dockerfile").read_text() == wanted, "edit the template, not one copy"


@pytest.mark.parametrize(("name", "dockerfile", "script"), IMAGES, ids=[i[0] for i in IMAGES])
def test_images_run_as_non_root_from_the_venv_only(
    name: str, dockerfile: Path, script: str
) -> None:
    text = dockerfile.read_text().replace("@SERVICE@", name)
    final = dict(stages(text)["final"])
    assert final["USER"] == "10001:10001"
    copies = [args for op, args in stages(text)["final"] if op == "COPY"]
    assert copies[0] == "--from=build /app/.venv /app/.venv"  # the venv, not the sources
    assert final["ENTRYPOINT"] == f'["{script}"]'
    build = " ".join(a for op, a in stages(text)["build"] if op == "RUN")
    assert f"--frozen --no-dev --no-editable --package {script}" in build


@pytest.mark.integration
@pytest.mark.parametrize(("name", "dockerfile", "script"), IMAGES, ids=[i[0] for i in IMAGES])
def test_the_build_steps_install_a_service_that_starts(
    name: str, dockerfile: Path, script: str, tmp_path: Path
) -> None:
    if dockerfile == TEMPLATE:
        pytest.skip(f"services/{name} has no package yet")
    env = run_build_stage(dockerfile.read_text(), tmp_path)
    venv = Path(env["UV_PROJECT_ENVIRONMENT"])
    bin_dir = venv / "bin"
    assert not (bin_dir / "pytest").exists() and not (bin_dir / "ruff").exists(), "dev tools"
    others = {f"snp-{s}" for s in (*SERVICES, "operator", "stack")} - {script}
    assert not any((bin_dir / other).exists() for other in others), "another service installed"
    started = subprocess.run(
        [str(bin_dir / script), "--help"],
        env={
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "PYTHONDONTWRITEBYTECODE": "1",
            "HOME": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 0, started.stderr[-3000:]
    assert f"usage: {script}" in started.stdout
