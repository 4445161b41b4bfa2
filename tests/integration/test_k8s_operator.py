"""The operator against a real Kubernetes API server: etcd and kube-apiserver built from their Go
modules by `make tools` (see snp_operator.buildtools), the CRDs applied, `snp-operator` watching
one namespace. No kubelet or controller-manager runs: Deployments get no Pods and garbage collection
does not run, so this tests what the operator itself does; Deployment status is written by the
test where a controller would write it."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import httpx
import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from kubernetes import config
from kubernetes.client.exceptions import ApiException
from kubernetes.dynamic import DynamicClient

from snp_stack.toolbox import require

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
NS = "snp-test"
GROUP, VERSION = "snp.saferneighbourhoods.org", "v1alpha1"
T = TypeVar("T")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pem(obj: Any) -> bytes:
    if isinstance(obj, x509.Certificate):
        return obj.public_bytes(serialization.Encoding.PEM)
    return bytes(
        obj.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _cert(subject: x509.Name, key: Any, issuer: x509.Name, signer: Any, **ext: Any) -> Any:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
    )
    if ext.get("ca"):
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
    if ext.get("san"):
        builder = builder.add_extension(ext["san"], False)
    return builder.sign(signer, hashes.SHA256())


def _certificates(folder: Path) -> None:
    """A CA, the server's certificate, an admin client in system:masters, the SA key pair."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "snp-test-ca")])
    ca = _cert(ca_name, ca_key, ca_name, ca_key, ca=True)
    ip = __import__("ipaddress").ip_address("127.0.0.1")
    san = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ip)])
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")])
    server = _cert(server_name, server_key, ca_name, ca_key, san=san)
    admin_key = ec.generate_private_key(ec.SECP256R1())
    admin_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "system:masters"),
            x509.NameAttribute(NameOID.COMMON_NAME, "snp-test-admin"),
        ]
    )
    admin = _cert(admin_name, admin_key, ca_name, ca_key)
    sa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    files = {
        "ca.crt": _pem(ca),
        "server.crt": _pem(server),
        "server.key": _pem(server_key),
        "admin.crt": _pem(admin),
        "admin.key": _pem(admin_key),
        "sa.key": _pem(sa_key),
        "sa.pub": sa_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)


def _kubeconfig(folder: Path, port: int) -> Path:
    cfg = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "test",
                "cluster": {
                    "server": f"https://127.0.0.1:{port}",
                    "certificate-authority": str(folder / "ca.crt"),
                },
            }
        ],
        "users": [
            {
                "name": "admin",
                "user": {
                    "client-certificate": str(folder / "admin.crt"),
                    "client-key": str(folder / "admin.key"),
                },
            }
        ],
        "contexts": [{"name": "test", "context": {"cluster": "test", "user": "admin"}}],
        "current-context": "test",
    }
    path = folder / "kubeconfig"
    path.write_text(yaml.safe_dump(cfg))
    return path


def _wait(what: str, probe: Callable[[], T | None], timeout: float = 60) -> T:
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            found = probe()
        except (ApiException, OSError, KeyError, httpx.HTTPError) as exc:
            found, last = None, exc
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what} (last error: {last})")


def _spawn(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def kubeconfig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """etcd and kube-apiserver on free loopback ports; the path of an admin kubeconfig."""
    etcd, apiserver = require("etcd"), require("kube-apiserver")
    folder = tmp_path_factory.mktemp("control-plane")
    _certificates(folder)
    etcd_port, peer_port, api_port = _free_port(), _free_port(), _free_port()
    etcd_url = f"http://127.0.0.1:{etcd_port}"
    etcd_cmd = [
        str(etcd),
        f"--data-dir={folder / 'etcd'}",
        f"--listen-client-urls={etcd_url}",
        f"--advertise-client-urls={etcd_url}",
        f"--listen-peer-urls=http://127.0.0.1:{peer_port}",
        f"--initial-advertise-peer-urls=http://127.0.0.1:{peer_port}",
        f"--initial-cluster=default=http://127.0.0.1:{peer_port}",
        "--unsafe-no-fsync",
    ]
    api_cmd = [
        str(apiserver),
        f"--etcd-servers={etcd_url}",
        f"--secure-port={api_port}",
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        f"--cert-dir={folder}",
        f"--tls-cert-file={folder / 'server.crt'}",
        f"--tls-private-key-file={folder / 'server.key'}",
        f"--client-ca-file={folder / 'ca.crt'}",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        "--disable-admission-plugins=ServiceAccount",
        "--authorization-mode=RBAC",
        f"--service-account-issuer=https://127.0.0.1:{api_port}",
        f"--service-account-key-file={folder / 'sa.pub'}",
        f"--service-account-signing-key-file={folder / 'sa.key'}",
    ]
    procs = [_spawn(etcd_cmd, folder / "etcd.log")]
    try:
        procs.append(_spawn(api_cmd, folder / "kube-apiserver.log"))
        path = _kubeconfig(folder, api_port)
        tls = ssl.create_default_context(cafile=str(folder / "ca.crt"))
        tls.load_cert_chain(folder / "admin.crt", folder / "admin.key")

        def healthy() -> bool:
            for cmd, proc in zip((etcd_cmd, api_cmd), procs, strict=True):
                assert proc.poll() is None, f"{cmd[0]} exited; logs in {folder}"
            url = f"https://127.0.0.1:{api_port}/readyz"
            return httpx.get(url, verify=tls, timeout=5).status_code == 200

        _wait("kube-apiserver /readyz", healthy, timeout=90)
        yield path
    finally:
        for proc in reversed(procs):
            _stop(proc)


@pytest.fixture(scope="module")
def dyn(kubeconfig: Path) -> DynamicClient:
    api = config.new_client_from_config(str(kubeconfig))  # type: ignore[no-untyped-call]
    return DynamicClient(api)  # type: ignore[no-untyped-call]


class _Identity(BaseHTTPRequestHandler):
    """Stands in for identity's REST API: records each request, answers as identity would."""

    seen: ClassVar[list[tuple[str, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append((self.path, body))
        answer = {"access_token": "t", "refresh_token": "r", "expires_in": 900}
        data = json.dumps(answer if self.path == "/identity/sessions" else {}).encode()
        self.send_response(200 if self.path == "/identity/sessions" else 201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture(scope="module")
def identity_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Identity)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def operator(
    kubeconfig: Path,
    dyn: DynamicClient,
    identity_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The CRDs applied, the namespace made, `snp-operator` running against it."""
    for crd in sorted((ROOT / "deploy/k8s/crds").glob("*.yaml")):
        body = yaml.safe_load(crd.read_text())
        crds = dyn.resources.get(
            api_version="apiextensions.k8s.io/v1", kind="CustomResourceDefinition"
        )
        crds.create(body=body)
        _wait(f"{crd.name} established", partial(_established, crds, body["metadata"]["name"]))
    dyn.resources.get(api_version="v1", kind="Namespace").create(body={"metadata": {"name": NS}})
    log = tmp_path_factory.mktemp("operator") / "operator.log"
    script = Path(sys.executable).parent / "snp-operator"
    env = {
        **os.environ,
        "KUBECONFIG": str(kubeconfig),
        "SNP_POLICY_DIR": str(ROOT / "policies"),
        "SNP_IDENTITY_URL": identity_url,
    }
    proc = _spawn([str(script), "--namespace", NS], log, env)
    try:
        yield
    finally:
        _stop(proc)
        print(log.read_text()[-5000:])


def _established(crds: Any, name: str) -> bool:
    conditions = (crds.get(name=name).to_dict().get("status") or {}).get("conditions") or []
    return any(c["type"] == "Established" and c["status"] == "True" for c in conditions)


def _get(dyn: DynamicClient, api_version: str, kind: str, name: str) -> dict[str, Any]:
    return dict(
        dyn.resources.get(api_version=api_version, kind=kind).get(name=name, namespace=NS).to_dict()
    )


def _platform(dyn: DynamicClient) -> dict[str, Any]:
    return _get(dyn, f"{GROUP}/{VERSION}", "Platform", "snp")


def _conditions(platform: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["type"]: c for c in (platform.get("status") or {}).get("conditions") or []}


SPEC = {
    "image": {"registry": "registry.test/snp", "tag": "0.1.0"},
    "kafka": {"bootstrap": "events-kafka-bootstrap.kafka:9092", "credentialsSecret": "kafka-user"},
    "keysSecret": "snp-keys",
    "services": {
        "identity": {"database": {"secretName": "identity-db-app"}},
        "membership": {"database": {"secretName": "membership-db-app"}, "workers": {"consumer": 1}},
        "portal": {"database": {"secretName": "portal-db-app"}},
    },
}
EXPECTED = {
    ("apps/v1", "Deployment"): [
        "snp-identity",
        "snp-identity-relay",
        "snp-membership",
        "snp-membership-relay",
        "snp-membership-consumer",
        "snp-opa",
        "snp-portal",
    ],
    ("v1", "Service"): ["snp-identity", "snp-membership", "snp-opa", "snp-portal"],
    ("v1", "ServiceAccount"): ["snp-identity", "snp-membership", "snp-portal"],
    ("v1", "ConfigMap"): ["snp-policy", "snp-opa-config", "snp-portal"],
    ("policy/v1", "PodDisruptionBudget"): ["snp-identity", "snp-membership", "snp-portal"],
    ("autoscaling/v2", "HorizontalPodAutoscaler"): ["snp-identity", "snp-membership", "snp-portal"],
    ("networking.k8s.io/v1", "NetworkPolicy"): [
        "snp-default-deny",
        "snp-identity",
        "snp-opa",
        "snp-portal",
    ],
}


def test_the_operator_renders_patches_recreates_and_reports(
    dyn: DynamicClient, operator: None
) -> None:
    platforms = dyn.resources.get(api_version=f"{GROUP}/{VERSION}", kind="Platform")
    created = platforms.create(
        body={
            "apiVersion": f"{GROUP}/{VERSION}",
            "kind": "Platform",
            "metadata": {"name": "snp"},
            "spec": SPEC,
        },
        namespace=NS,
    ).to_dict()
    uid = created["metadata"]["uid"]

    # Every child appears, owned by the Platform.
    for (api_version, kind), names in EXPECTED.items():
        for name in names:
            child = _wait(f"{kind} {name}", partial(_get, dyn, api_version, kind, name))
            owners = child["metadata"]["ownerReferences"]
            assert [(o["kind"], o["name"], o["uid"], o.get("controller")) for o in owners] == [
                ("Platform", "snp", uid, True)
            ]

    # Without a kubelet nothing becomes available: the status says so, at this generation.
    def reported(generation: int, ready: str) -> dict[str, dict[str, Any]] | None:
        found = _conditions(_platform(dyn))
        if found.get("Ready", {}).get("status") != ready:
            return None
        if any(c.get("observedGeneration") != generation for c in found.values()):
            return None
        return found

    # The portal's pods are told where the services answer REST and to keep cookies Secure.
    portal_config = _get(dyn, "v1", "ConfigMap", "snp-portal")["data"]
    assert portal_config["SNP_IDENTITY_BASE_URL"] == "http://snp-identity:8080"
    assert portal_config["SNP_COOKIE_SECURE"] == "true"
    portal_pod = _get(dyn, "apps/v1", "Deployment", "snp-portal")["spec"]["template"]["spec"]
    assert portal_pod["containers"][0]["envFrom"] == [{"configMapRef": {"name": "snp-portal"}}]

    found = _wait("conditions at generation 1", lambda: reported(1, "False"), 30)
    assert found["Ready"]["reason"] == "Unavailable"
    assert found["Progressing"]["status"] == "True"
    assert found["Degraded"]["status"] == "False"
    assert _platform(dyn)["status"]["observedGeneration"] == 1

    # Changing the Platform patches its children.
    platforms.patch(
        name="snp",
        namespace=NS,
        body={
            "spec": {
                "image": {"tag": "0.2.0"},
                "services": {"membership": {"workers": {"consumer": 3}}},
            }
        },
        content_type="application/merge-patch+json",
    )

    def patched() -> bool:
        consumer = _get(dyn, "apps/v1", "Deployment", "snp-membership-consumer")
        replicas: int = consumer["spec"]["replicas"]
        image: str = consumer["spec"]["template"]["spec"]["containers"][0]["image"]
        return replicas == 3 and image == "registry.test/snp/membership:0.2.0"

    _wait("the consumer Deployment patched", patched, 30)
    _wait("conditions at generation 2", lambda: reported(2, "False"), 30)

    # Deleting a child makes the operator recreate it.
    relay = _get(dyn, "apps/v1", "Deployment", "snp-identity-relay")
    dyn.resources.get(api_version="apps/v1", kind="Deployment").delete(
        name="snp-identity-relay", namespace=NS
    )
    _wait(
        "the relay recreated",
        lambda: (
            _get(dyn, "apps/v1", "Deployment", "snp-identity-relay")["metadata"]["uid"]
            != relay["metadata"]["uid"]
        ),
        30,
    )
    dyn.resources.get(api_version="v1", kind="Service").delete(name="snp-opa", namespace=NS)
    _wait("the OPA Service recreated", lambda: _get(dyn, "v1", "Service", "snp-opa"), 30)

    # Where a controller would report Deployments available, the Platform becomes Ready.
    deployments = dyn.resources.get(api_version="apps/v1", kind="Deployment")
    for name in EXPECTED[("apps/v1", "Deployment")]:
        dep = _get(dyn, "apps/v1", "Deployment", name)
        replicas = dep["spec"].get("replicas", 1)
        status = {
            "observedGeneration": dep["metadata"]["generation"],
            "replicas": replicas,
            "updatedReplicas": replicas,
            "readyReplicas": replicas,
            "availableReplicas": replicas,
        }
        deployments.status.patch(
            name=name,
            namespace=NS,
            body={"status": status},
            content_type="application/merge-patch+json",
        )
    found = _wait("Ready", lambda: reported(2, "True"), 30)
    assert found["Progressing"]["status"] == "False"
    assert found["Degraded"]["status"] == "False"

    # A stuck rollout is reported as Degraded.
    stuck = {
        "type": "ReplicaFailure",
        "status": "True",
        "reason": "FailedCreate",
        "message": "quota",
    }
    deployments.status.patch(
        name="snp-membership",
        namespace=NS,
        body={"status": {"conditions": [stuck]}},
        content_type="application/merge-patch+json",
    )

    def degraded() -> dict[str, dict[str, Any]] | None:
        found = _conditions(_platform(dyn))
        return found if found.get("Degraded", {}).get("status") == "True" else None

    found = _wait("Degraded", degraded, 30)
    assert found["Degraded"]["reason"] == "RolloutStuck"
    assert "snp-membership" in found["Degraded"]["message"]


def test_a_tenant_is_provisioned_through_identity(dyn: DynamicClient, operator: None) -> None:
    secrets = dyn.resources.get(api_version="v1", kind="Secret")
    account = {"email": "ops@platform.example", "password": "pw"}
    secrets.create(
        body={"metadata": {"name": "snp-operator-account"}, "stringData": account}, namespace=NS
    )
    tenants = dyn.resources.get(api_version=f"{GROUP}/{VERSION}", kind="Tenant")
    spec = {
        "platform": "snp",
        "slug": "riverside",
        "displayName": "Riverside",
        "adminEmail": "a@r.example",
    }
    body = {"apiVersion": f"{GROUP}/{VERSION}", "kind": "Tenant", "metadata": {"name": "riverside"}}
    tenants.create(body=body | {"spec": spec}, namespace=NS)

    def state(name: str) -> str | None:
        status = _get(dyn, f"{GROUP}/{VERSION}", "Tenant", name).get("status") or {}
        return status.get("state") if status.get("observedGeneration") == 1 else None

    assert _wait("the tenant provisioned", lambda: state("riverside"), 30) == "Provisioned"
    paths = [path for path, _ in _Identity.seen]
    assert paths == ["/identity/sessions", "/identity/tenants", "/identity/accounts"]
    assert _Identity.seen[1][1] == {"slug": "riverside", "display_name": "Riverside"}
    admin = _get(dyn, "v1", "Secret", "riverside-admin-credentials")
    assert [o["kind"] for o in admin["metadata"]["ownerReferences"]] == ["Tenant"]

    # Without the operator's account for its platform, the tenant is reported as failed.
    orphan = {
        "platform": "other",
        "slug": "hillside",
        "displayName": "Hillside",
        "adminEmail": "a@h.example",
    }
    tenants.create(body=body | {"metadata": {"name": "hillside"}, "spec": orphan}, namespace=NS)
    assert _wait("the tenant failed", lambda: state("hillside"), 30) == "Failed"
    message = _get(dyn, f"{GROUP}/{VERSION}", "Tenant", "hillside")["status"]["message"]
    assert "other-operator-account" in message


def test_the_api_server_takes_network_peers_and_monitoring_and_refuses_empty_peers(
    dyn: DynamicClient, operator: None
) -> None:
    """The Platform CRD's `network` and `monitoring` as kube-apiserver itself validates them
    (dry run: nothing is stored, the operator sees nothing)."""
    platforms = dyn.resources.get(api_version=f"{GROUP}/{VERSION}", kind="Platform")
    peer = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kafka"}},
        "podSelector": {"matchLabels": {"strimzi.io/cluster": "events"}},
    }
    spec = {
        "kafka": {"bootstrap": "events:9092"},
        "keysSecret": "keys",
        "services": {"identity": {"database": {"secretName": "identity-db"}}},
        "network": {"postgres": [{"ipBlock": {"cidr": "10.20.0.0/24"}}], "kafka": [peer]},
        "monitoring": {"enabled": True, "labels": {"release": "kps"}},
    }

    def create(body_spec: dict[str, Any]) -> dict[str, Any]:
        body = {
            "apiVersion": f"{GROUP}/{VERSION}",
            "kind": "Platform",
            "metadata": {"name": "dry"},
            "spec": body_spec,
        }
        return dict(platforms.create(body=body, namespace=NS, dry_run="All").to_dict())

    accepted = create(spec)
    assert accepted["spec"]["network"]["kafka"] == [peer]
    assert accepted["spec"]["monitoring"]["prometheusNamespace"] == "monitoring"  # defaulted
    empty: list[dict[str, Any]] = [{"postgres": [{}]}, {"kafka": [{"everywhere": True}]}]
    for bad in empty:
        with pytest.raises(ApiException) as refused:
            create(spec | {"network": bad})
        assert refused.value.status == 422, bad
