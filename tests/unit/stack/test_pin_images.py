"""`snp-stack pin-images`: every base image the Dockerfiles name is found, pinned by the digest
the registry serves (through its anonymous token challenge), and the tag is kept. No image
registry is reachable from here, so the protocol is exercised against one on loopback that
answers as the Distribution spec says."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from snp_stack import images

ROOT = Path(__file__).resolve().parents[3]
DIGEST = "sha256:" + "ab" * 32


def test_references_are_parsed_as_docker_does() -> None:
    assert images.parse("python:3.11-slim-bookworm") == images.Image(
        "registry-1.docker.io", "library/python", "3.11-slim-bookworm"
    )
    assert images.parse("ghcr.io/astral-sh/uv:0.13.9") == images.Image(
        "ghcr.io", "astral-sh/uv", "0.13.9"
    )
    assert images.parse("openpolicyagent/opa:1.0") == images.Image(
        "registry-1.docker.io", "openpolicyagent/opa", "1.0"
    )
    assert images.parse("localhost:5000/x:1").registry == "localhost:5000"


def test_every_dockerfile_s_bases_are_found() -> None:
    found = {ref for f in images.dockerfiles(ROOT) for ref, _ in images.references(f.read_text())}
    assert {"ghcr.io/astral-sh/uv:0.13.9", "python:3.11-slim-bookworm"} <= found
    assert "node:20-bookworm-slim" in found  # the portal's assets stage
    assert len(images.dockerfiles(ROOT)) == 9  # the template, the operator, seven services


def test_pinning_keeps_the_tag_replaces_an_old_digest_and_leaves_stages_alone() -> None:
    text = (
        "ARG PYTHON_IMAGE=python:3.11-slim-bookworm\n"
        f"FROM ghcr.io/astral-sh/uv:0.13.9@sha256:{'00' * 32} AS uv\n"
        "FROM ${PYTHON_IMAGE} AS build\n"
    )
    pinned = images.pin(
        text, {"python:3.11-slim-bookworm": DIGEST, "ghcr.io/astral-sh/uv:0.13.9": DIGEST}
    )
    assert pinned == (
        f"ARG PYTHON_IMAGE=python:3.11-slim-bookworm@{DIGEST}\n"
        f"FROM ghcr.io/astral-sh/uv:0.13.9@{DIGEST} AS uv\n"
        "FROM ${PYTHON_IMAGE} AS build\n"
    )
    assert images.references(pinned) == [
        ("python:3.11-slim-bookworm", DIGEST),
        ("ghcr.io/astral-sh/uv:0.13.9", DIGEST),
    ]
    assert images.pin(pinned, {}) == pinned  # pinned stays pinned


@pytest.fixture
def registry() -> Iterator[str]:
    """A registry that wants an anonymous pull token, as Docker Hub and ghcr.io do."""

    class Handler(BaseHTTPRequestHandler):
        realm = ""

        def do_GET(self) -> None:  # the token endpoint
            assert "scope=repository%3Alibrary%2Fpython%3Apull" in self.path
            body = json.dumps({"token": "t0k"}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_HEAD(self) -> None:
            assert self.path == "/v2/library/python/manifests/3.11-slim-bookworm"
            if self.headers.get("Authorization") != "Bearer t0k":
                realm = self.realm
                challenge = (
                    f'Bearer realm="{realm}",service="reg",scope="repository:library/python:pull"'
                )
                self.send_response(401)
                self.send_header("WWW-Authenticate", challenge)
            else:
                assert "application/vnd.oci.image.index.v1+json" in self.headers["Accept"]
                self.send_response(200)
                self.send_header("Docker-Content-Digest", DIGEST)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.realm = f"http://127.0.0.1:{server.server_port}/token"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()


def test_resolve_follows_the_token_challenge_to_the_index_digest(registry: str) -> None:
    with httpx.Client() as client:
        digest = images.resolve(f"{registry}/library/python:3.11-slim-bookworm", client, "http")
    assert digest == DIGEST


def test_pin_all_rewrites_every_dockerfile_identically(tmp_path: Path) -> None:
    for pattern in images.DOCKERFILES:
        for path in ROOT.glob(pattern):
            target = tmp_path / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    unpinned, changed = images.pin_all(tmp_path, lambda ref: DIGEST, check=True)
    assert not changed and "python:3.11-slim-bookworm" in unpinned
    _, changed = images.pin_all(tmp_path, lambda ref: DIGEST)
    assert len(changed) == 9
    assert images.pin_all(tmp_path, lambda ref: DIGEST, check=True)[0] == []
    template = (tmp_path / "deploy/k8s/images/Dockerfile.template").read_text()
    assert (tmp_path / "services/audit/Dockerfile").read_text() == template.replace(
        "@SERVICE@", "audit"
    )
