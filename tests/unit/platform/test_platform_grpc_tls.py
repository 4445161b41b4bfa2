"""Mutual TLS on a real gRPC server on loopback: a client with a certificate from the platform's
CA is served; no certificate, another CA's certificate, plaintext, or a client that does not
trust the server's CA are all refused. The three files come all together or not at all."""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from grpc_health.v1 import health_pb2, health_pb2_grpc

from snp_platform.grpc_server import GrpcServer, create_grpc_server
from snp_platform.grpc_tls import GrpcTls, TlsMisconfigured

_NOW = datetime.datetime.now(datetime.UTC)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


class _Ca:
    """A throwaway CA issuing the kind of certificate cert-manager gives each service."""

    def __init__(self, name: str) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_NOW - datetime.timedelta(minutes=1))
            .not_valid_after(_NOW + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, service: str) -> GrpcTls:
        key = ec.generate_private_key(ec.SECP256R1())
        names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        usages = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(service))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_NOW - datetime.timedelta(minutes=1))
            .not_valid_after(_NOW + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return GrpcTls(cert.public_bytes(serialization.Encoding.PEM), _pem_key(key), self.pem)


@pytest.fixture(scope="module")
def platform_ca() -> _Ca:
    return _Ca("snp-platform-ca")


@pytest.fixture(scope="module")
def server(platform_ca: _Ca) -> Iterator[GrpcServer]:
    started = create_grpc_server(0, tls=platform_ca.issue("identity"))
    started.start()
    yield started
    started.stop(grace=0)


def _check(channel: grpc.Channel) -> int:
    with channel:
        stub = health_pb2_grpc.HealthStub(channel)
        reply = stub.Check(health_pb2.HealthCheckRequest(), timeout=5)
        return int(reply.status)


def _secure(server: GrpcServer, credentials: grpc.ChannelCredentials) -> grpc.Channel:
    return grpc.secure_channel(f"localhost:{server.port}", credentials)


def test_a_client_with_the_platforms_certificate_is_served(
    server: GrpcServer, platform_ca: _Ca
) -> None:
    client = platform_ca.issue("membership")
    assert (
        _check(_secure(server, client.channel_credentials()))
        == health_pb2.HealthCheckResponse.SERVING
    )


def test_without_a_certificate_from_the_ca_nothing_is_served(
    server: GrpcServer, platform_ca: _Ca
) -> None:
    no_certificate = grpc.ssl_channel_credentials(root_certificates=platform_ca.pem)
    stranger = _Ca("someone-else").issue("membership")
    foreign_certificate = grpc.ssl_channel_credentials(
        root_certificates=platform_ca.pem,
        private_key=stranger.private_key,
        certificate_chain=stranger.certificate,
    )
    for credentials in (no_certificate, foreign_certificate):
        with pytest.raises(grpc.RpcError) as refused:
            _check(_secure(server, credentials))
        assert refused.value.code() is grpc.StatusCode.UNAVAILABLE
    with pytest.raises(grpc.RpcError):
        _check(grpc.insecure_channel(f"localhost:{server.port}"))


def test_a_client_checks_the_servers_certificate_too(server: GrpcServer) -> None:
    # A client of another CA (as if the server were an impostor to it) refuses to talk.
    elsewhere = _Ca("elsewhere").issue("membership")
    with pytest.raises(grpc.RpcError) as refused:
        _check(_secure(server, elsewhere.channel_credentials()))
    assert refused.value.code() is grpc.StatusCode.UNAVAILABLE


def test_the_files_come_all_three_or_none(tmp_path: Path, platform_ca: _Ca) -> None:
    assert GrpcTls.from_files("", "", "") is None
    issued = platform_ca.issue("audit")
    files = []
    for name, content in (("tls.crt", issued.certificate), ("tls.key", issued.private_key)):
        (tmp_path / name).write_bytes(content)
        files.append(str(tmp_path / name))
    (tmp_path / "ca.crt").write_bytes(platform_ca.pem)
    assert GrpcTls.from_files(files[0], files[1], str(tmp_path / "ca.crt")) == issued
    with pytest.raises(TlsMisconfigured, match="all three"):
        GrpcTls.from_files(files[0], files[1], "")
    with pytest.raises(TlsMisconfigured, match="unreadable"):
        GrpcTls.from_files(files[0], files[1], str(tmp_path / "missing.crt"))


def test_a_grpc_people_call_too_serves_tls_without_asking_a_certificate(platform_ca: _Ca) -> None:
    issued = platform_ca.issue("audit")
    public = GrpcTls(issued.certificate, issued.private_key, issued.ca, require_client_cert=False)
    started = create_grpc_server(0, tls=public)
    started.start()
    try:
        server_only = grpc.ssl_channel_credentials(root_certificates=platform_ca.pem)
        assert _check(_secure(started, server_only)) == health_pb2.HealthCheckResponse.SERVING
        with pytest.raises(grpc.RpcError):  # still TLS: plaintext is refused
            _check(grpc.insecure_channel(f"localhost:{started.port}"))
    finally:
        started.stop(grace=0)
