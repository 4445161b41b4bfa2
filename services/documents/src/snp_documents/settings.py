"""Documents' configuration (environment variables `SNP_*`, see snp_platform.settings)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from snp_platform.settings import ServiceSettings

MIB = 1024 * 1024


class DocumentsSettings(ServiceSettings):
    """What documents adds to every service's settings."""

    service_name: str = "documents"
    # Key-encryption keys that wrap every group's data key (format in snp_platform.keywrap);
    # a Kubernetes Secret in production. Required: without it nothing can be stored or read.
    document_keks: SecretStr = SecretStr("")
    # Largest document accepted, in bytes (SNP_MAX_DOCUMENT_BYTES).
    max_document_bytes: int = Field(default=25 * MIB, gt=0, le=1024 * MIB)
    # Plaintext bytes per encrypted segment: what the service holds of a file at a time.
    segment_bytes: int = Field(default=256 * 1024, ge=4096, le=4 * MIB)
    # Where identity's directory answers gRPC (display names for mailing lists).
    identity_grpc_target: str = "127.0.0.1:50051"
    # How long a mailing list waits for identity's display names before showing ids only.
    directory_timeout_seconds: float = 3.0
