"""Pinned versions of everything deploy/k8s builds, validates against or deploys (only here)."""

from __future__ import annotations

from dataclasses import dataclass

# The Kubernetes minor the manifests target: kube-apiserver for the operator test and the
# OpenAPI schemas (shipped by kubernetes-validate) that every rendered object is checked against.
KUBERNETES_SCHEMA_VERSION = "1.34.0"

# The OPA image the Platform runs next to the services (same release as the local stack's OPA).
OPA_IMAGE = "openpolicyagent/opa:1.22.2-static"


@dataclass(frozen=True)
class GoBuild:
    """A Go program built from its module through a wrapper module.

    `replace_version` is the version that a relative `replace M => ./x` in the module's go.mod
    becomes (`M => M <replace_version>`); `ldflags` are passed to `go build`.
    """

    name: str
    module: str
    package: str
    version: str
    replace_version: str = ""
    ldflags: tuple[str, ...] = ()

    @property
    def cache_name(self) -> str:
        return f"{self.name}-{self.version}"


_K8S = "v1.34.4"
_K8S_VERSION_PKG = "k8s.io/component-base/version"
KUBE_APISERVER = GoBuild(
    name="kube-apiserver",
    module="k8s.io/kubernetes",
    package="k8s.io/kubernetes/cmd/kube-apiserver",
    version=_K8S,
    # k8s.io/kubernetes replaces each staging module with ./staging/src/k8s.io/<x>; the same
    # code is published as k8s.io/<x> v0.<minor>.<patch>.
    replace_version="v0" + _K8S.removeprefix("v1"),
    # Without these it reports v0.0.0, which clients (kopf, kubectl) take for a broken server.
    ldflags=(
        f"-X {_K8S_VERSION_PKG}.gitVersion={_K8S}",
        f"-X {_K8S_VERSION_PKG}.gitMajor=1",
        f"-X {_K8S_VERSION_PKG}.gitMinor={_K8S.split('.')[1]}",
    ),
)
# Debian's etcd 3.4 lacks the watch progress requests kube-apiserver 1.34 needs.
ETCD = GoBuild(
    name="etcd",
    module="go.etcd.io/etcd/server/v3",
    package="go.etcd.io/etcd/server/v3",
    version="v3.6.16",
    replace_version="v3.6.16",
)
SKAFFOLD = GoBuild(
    name="skaffold",
    module="github.com/GoogleContainerTools/skaffold/v2",
    package="github.com/GoogleContainerTools/skaffold/v2/cmd/skaffold",
    version="v2.24.0",
    ldflags=(
        "-X github.com/GoogleContainerTools/skaffold/v2/pkg/skaffold/version.version=v2.24.0",
    ),
)
GO_BUILDS = {tool.name: tool for tool in (KUBE_APISERVER, ETCD, SKAFFOLD)}
