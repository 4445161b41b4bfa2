"""Mutual TLS for the services' gRPC, when certificates are configured (in Kubernetes).

Each service's pod holds a certificate from the cluster's CA (cert-manager renders it from the
Platform's `tls` settings: see deploy/k8s/operator), mounted as `tls.crt`, `tls.key` and `ca.crt`
and named by `SNP_GRPC_TLS_CERT_FILE`, `SNP_GRPC_TLS_KEY_FILE` and `SNP_GRPC_TLS_CA_FILE`. The
server then requires a client certificate from the same CA, and every client checks the server's.
The signed service token stays the identity check on top (snp_platform.service_auth): TLS says
"a platform pod", the token says which service. Locally (no files) calls stay plain on loopback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import grpc

from snp_platform.service_auth import ServiceTokenClientInterceptor, ServiceTokenSigner
from snp_platform.settings import ServiceSettings


class TlsMisconfigured(Exception):
    """Only some of the three files are configured, or one cannot be read: refuse to start."""


@dataclass(frozen=True)
class GrpcTls:
    certificate: bytes  # PEM chain of this service
    private_key: bytes  # PEM
    ca: bytes  # PEM: the CA every peer's certificate must chain to
    require_client_cert: bool = True

    @classmethod
    def from_files(
        cls, cert_file: str, key_file: str, ca_file: str, require_client_cert: bool = True
    ) -> GrpcTls | None:
        """None when no file is named (plain gRPC); all three, or TlsMisconfigured."""
        named = [cert_file, key_file, ca_file]
        if not any(named):
            return None
        if not all(named):
            raise TlsMisconfigured("gRPC TLS needs a certificate, its key and the CA, all three")
        try:
            cert, key, ca = (Path(name).read_bytes() for name in named)
        except OSError as error:
            raise TlsMisconfigured(f"gRPC TLS file unreadable: {error}") from error
        return cls(cert, key, ca, require_client_cert)

    def server_credentials(self) -> grpc.ServerCredentials:
        return grpc.ssl_server_credentials(
            [(self.private_key, self.certificate)],
            root_certificates=self.ca,
            require_client_auth=self.require_client_cert,
        )

    def channel_credentials(self) -> grpc.ChannelCredentials:
        return grpc.ssl_channel_credentials(
            root_certificates=self.ca,
            private_key=self.private_key,
            certificate_chain=self.certificate,
        )


def grpc_tls(settings: ServiceSettings) -> GrpcTls | None:
    return GrpcTls.from_files(
        settings.grpc_tls_cert_file,
        settings.grpc_tls_key_file,
        settings.grpc_tls_ca_file,
        settings.grpc_tls_require_client_cert,
    )


def service_channel(
    target: str, signer: ServiceTokenSigner, audience: str, tls: GrpcTls | None
) -> grpc.Channel:
    """A channel to another service's gRPC: mutual TLS when configured, and every call carries
    this service's signed token for `audience`."""
    channel = (
        grpc.secure_channel(target, tls.channel_credentials())
        if tls is not None
        else grpc.insecure_channel(target)  # loopback, locally
    )
    return grpc.intercept_channel(channel, ServiceTokenClientInterceptor(signer, audience))
