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
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("identity", "membership", "documents", "messaging", "engagement", "audit", "portal")
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
    if name == "portal":  # the template plus GOV.UK Frontend's assets (the test below)
        return
    assert (folder / "Dockerfile").read_text() == wanted, "edit the template, not one copy"


PORTAL = ROOT / "services/portal/Dockerfile"
# What the portal's image adds to the template: the assets stage and what the runtime takes of it.
PORTAL_ASSETS_STAGE = [
    ("WORKDIR", "/assets"),
    ("COPY", "services/portal/package.json services/portal/package-lock.json ./"),
    ("RUN", "npm ci --ignore-scripts --no-audit --no-fund --omit=dev"),
]
PORTAL_FINAL_ADDS = [
    (
        "COPY",
        "--from=assets /assets/node_modules/govuk-frontend/dist/govuk"
        " /app/assets/govuk-frontend/dist/govuk",
    ),
    ("ENV", "SNP_ASSETS_DIR=/app/assets"),
]


def test_the_portal_image_is_the_template_plus_govuk_frontends_assets() -> None:
    found = stages(PORTAL.read_text())
    template = stages(TEMPLATE.read_text().replace("@SERVICE@", "portal"))
    assert found["build"] == template["build"] and found["uv"] == template["uv"]
    assert found["assets"] == PORTAL_ASSETS_STAGE
    assert [i for i in found["final"] if i not in PORTAL_FINAL_ADDS] == [
        ("EXPOSE", "8080") if i == ("EXPOSE", "8080 50051") else i for i in template["final"]
    ]  # everything else as the template has it; no gRPC port to expose
    assert all(add in found["final"] for add in PORTAL_FINAL_ADDS)


@pytest.mark.integration
def test_the_portal_assets_stage_installs_the_files_the_portal_serves(tmp_path: Path) -> None:
    """The assets stage's steps outside a container: `npm ci` from the lock file leaves
    GOV.UK Frontend's CSS and JavaScript where the runtime stage copies them from, and the
    portal's /assets serves them from SNP_ASSETS_DIR laid out that way."""
    workdir = tmp_path / "assets"
    workdir.mkdir()
    for op, args in stages(PORTAL.read_text())["assets"]:
        if op == "COPY":
            *sources, _target = args.split()
            for source in sources:
                shutil.copy2(ROOT / source, workdir)
        elif op == "RUN":
            done = subprocess.run(
                shlex.split(args), cwd=workdir, capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, done.stderr[-3000:]
    source = PORTAL_FINAL_ADDS[0][1].split()[1].removeprefix("/assets/")
    dist = workdir / source
    assert (dist / "govuk-frontend.min.css").is_file()
    assert (dist / "govuk-frontend.min.js").is_file()
    from fastapi.testclient import TestClient

    from snp_portal.entrypoints import assets

    image_root = tmp_path / "app/assets"
    shutil.copytree(dist, image_root / "govuk-frontend/dist/govuk")
    app = FastAPI()
    app.include_router(assets.router(str(image_root)))
    with TestClient(app) as client:
        css = client.get("/assets/govuk-frontend.min.css")
    assert css.status_code == 200 and "govuk-header" in css.text


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
