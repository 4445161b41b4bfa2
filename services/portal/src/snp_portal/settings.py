"""The portal's configuration (SNP_* environment variables)."""

from __future__ import annotations

from pydantic import SecretStr

from snp_platform.settings import ServiceSettings


class PortalSettings(ServiceSettings):
    service_name: str = "portal"
    http_port: int = 8000
    # Where the other services answer REST, e.g. http://127.0.0.1:8001 (no path).
    identity_base_url: str = "http://127.0.0.1:8001"
    membership_base_url: str = "http://127.0.0.1:8002"
    documents_base_url: str = "http://127.0.0.1:8003"
    messaging_base_url: str = "http://127.0.0.1:8004"
    audit_base_url: str = "http://127.0.0.1:8005"
    engagement_base_url: str = "http://127.0.0.1:8006"
    # `npm ci`'s node_modules holding govuk-frontend (installed by `make tools`).
    assets_dir: str = ""
    # Secure cookies need HTTPS; plain loopback HTTP turns this off and the cookie loses
    # its `__Host-` prefix (browsers refuse `__Host-` cookies without Secure).
    cookie_secure: bool = True
    session_idle_seconds: int = 30 * 60
    session_absolute_seconds: int = 12 * 60 * 60
    platform_name: str = "Safer Neighbourhoods"
    # Seals the tokens in each session row (snp_platform.keywrap's `id:key;active=id`). Keep a
    # retired key listed for the absolute timeout after a rotation, or its sessions sign out.
    portal_session_keys: SecretStr = SecretStr("")
    # Documents' upload limit (its SNP_MAX_DOCUMENT_BYTES): the upload form says it, and a body
    # far over it is refused here before it travels on to documents, which decides.
    max_document_bytes: int = 25 * 1024 * 1024

    @property
    def cookie_name(self) -> str:
        return "__Host-snp_session" if self.cookie_secure else "snp_session"
