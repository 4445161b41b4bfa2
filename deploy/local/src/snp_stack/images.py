"""`snp-stack pin-images`: pin every base image of the Dockerfiles by digest.

A tag such as `python:3.11-slim-bookworm` moves whenever its publisher rebuilds it; a digest
names one image for good. This resolves each `name:tag` the Dockerfiles build from (the
`ARG *_IMAGE=` defaults and literal `FROM`s) to the digest its registry serves now (the
multi-platform index, as `docker buildx imagetools inspect` shows it) and writes
`name:tag@sha256:...`, keeping the tag for people to read. `--check` only reports unpinned
images. Re-run it to take a rebuilt base image (security fixes), review the diff, commit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx

DOCKERFILES = (
    "deploy/k8s/images/Dockerfile.template",
    "deploy/k8s/operator/Dockerfile",
    "services/*/Dockerfile",
)
# An image reference where a Dockerfile names a base: `ARG X_IMAGE=ref` or `FROM ref`.
_REFERENCE = re.compile(
    r"^(?P<lead>(?:ARG [A-Z_]+_IMAGE=|FROM ))"
    r"(?P<ref>[^\s$][^\s@]*:[^\s@]+)(?P<digest>@sha256:[0-9a-f]{64})?",
    re.MULTILINE,
)
_ACCEPT = ", ".join(
    (
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    )
)


@dataclass(frozen=True)
class Image:
    registry: str
    repository: str
    tag: str


def parse(reference: str) -> Image:
    """`python:3.11` -> Docker Hub's library/python; `ghcr.io/a/b:1` -> ghcr.io's a/b."""
    name, _, tag = reference.rpartition(":")
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return Image(first, rest, tag)
    return Image("registry-1.docker.io", name if rest else f"library/{name}", tag)


def references(dockerfile: str) -> list[tuple[str, str | None]]:
    """(name:tag, its digest or None) for every base the Dockerfile names."""
    return [(m["ref"], (m["digest"] or "")[1:] or None) for m in _REFERENCE.finditer(dockerfile)]


def pin(dockerfile: str, digests: dict[str, str]) -> str:
    """The Dockerfile with each `name:tag` followed by its digest from `digests`."""

    def replace(match: re.Match[str]) -> str:
        digest = digests.get(match["ref"])
        suffix = f"@{digest}" if digest else (match["digest"] or "")
        return f"{match['lead']}{match['ref']}{suffix}"

    return _REFERENCE.sub(replace, dockerfile)


def _bearer(client: httpx.Client, challenge: str) -> str:
    fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    params = {k: v for k, v in fields.items() if k in ("service", "scope")}
    answer = client.get(fields["realm"], params=params)
    answer.raise_for_status()
    body = answer.json()
    return str(body.get("token") or body["access_token"])


def resolve(reference: str, client: httpx.Client, scheme: str = "https") -> str:
    """The digest the registry serves for `reference` now (anonymous pull token if asked)."""
    image = parse(reference)
    url = f"{scheme}://{image.registry}/v2/{image.repository}/manifests/{image.tag}"
    headers = {"Accept": _ACCEPT}
    answer = client.head(url, headers=headers)
    if answer.status_code == 401:
        token = _bearer(client, answer.headers.get("www-authenticate", ""))
        answer = client.head(url, headers=headers | {"Authorization": f"Bearer {token}"})
    answer.raise_for_status()
    digest = str(answer.headers.get("docker-content-digest", ""))
    if not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
        raise ValueError(f"{reference}: the registry sent no digest")
    return digest


def dockerfiles(root: Path) -> list[Path]:
    return sorted(p for pattern in DOCKERFILES for p in root.glob(pattern))


def pin_all(
    root: Path, resolver: Callable[[str], str], check: bool = False
) -> tuple[list[str], list[Path]]:
    """Pin every Dockerfile (or with `check`, only list what is unpinned): (the unpinned
    references found, the files rewritten)."""
    files = dockerfiles(root)
    unpinned = sorted({ref for f in files for ref, d in references(f.read_text()) if d is None})
    if check:
        return unpinned, []
    every: Iterable[str] = {ref for f in files for ref, _ in references(f.read_text())}
    digests = {ref: resolver(ref) for ref in sorted(every)}
    changed = []
    for path in files:
        text = path.read_text()
        pinned = pin(text, digests)
        if pinned != text:
            path.write_text(pinned)
            changed.append(path)
    return unpinned, changed
