"""Messaging's configuration (environment variables `SNP_*`, see snp_platform.settings)."""

from __future__ import annotations

from pydantic import SecretStr

from snp_platform.settings import ServiceSettings


class MessagingSettings(ServiceSettings):
    """What messaging adds to every service's settings."""

    service_name: str = "messaging"
    http_port: int = 8004
    grpc_port: int = 50054
    # Where identity's directory answers (the stack passes SNP_IDENTITY_GRPC_TARGET).
    identity_grpc_target: str = "127.0.0.1:50051"
    # Links in notifications (forwarded documents, attachments) open the web portal, which
    # signs the reader in first (SNP_PORTAL_BASE_URL: the portal's public address); a password
    # reset's link lands on its `/reset-password/{token}`.
    portal_base_url: str = "http://127.0.0.1:8000"
    # Email: "smtp" (the platform's own relay) or "notify" (GOV.UK Notify); SMS: "notify" or "".
    email_provider: str = "smtp"
    sms_provider: str = ""
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "Safer Neighbourhoods <alerts@saferneighbourhoods.example>"
    mail_domain: str = "saferneighbourhoods.example"
    notify_api_key: SecretStr = SecretStr("")
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_email_template_id: str = ""
    notify_sms_template_id: str = ""
    # Notify's delivery receipts arrive with this bearer token (configured in Notify's settings).
    notify_callback_token: SecretStr = SecretStr("")
    # Fan-out and retries.
    delivery_partitions: int = 6
    delivery_max_attempts: int = 5
    delivery_backoff_seconds: float = 2.0
    delivery_backoff_cap_seconds: float = 300.0
    # A queued delivery no worker has finished after this long goes back on the topic.
    delivery_requeue_after_seconds: float = 600.0
    worker_threads: int = 8
    worker_batch_size: int = 500
    # Police admin-panel attachments.
    attachment_max_bytes: int = 10 * 1024 * 1024
    # Where the mail server delivers bounces that come back after the SMTP session (a Maildir;
    # "" reads none), and how often the relay role looks (SNP_BOUNCE_MAILDIR, ..._POLL_SECONDS).
    bounce_maildir: str = ""
    bounce_poll_seconds: float = 60.0
    # Key-encryption keys that wrap each police attachment's data key (SNP_ATTACHMENT_KEKS, the
    # format of SNP_KEKS, messaging's own keys); without them no attachment is taken (503).
    attachment_keks: SecretStr = SecretStr("")
    attachments_per_message: int = 5
    # The key of the per-delivery reply addresses (SNP_REPLY_ADDRESS_KEY, messaging's own secret:
    # whoever holds it can write a reply as any recipient). "" puts none on mail, reads no replies.
    reply_address_key: SecretStr = SecretStr("")
    # How often the relay role reads replies from the mailbox (SNP_BOUNCE_MAILDIR's).
    mail_reply_poll_seconds: float = 30.0
    # How often the relay role looks for engagement events starting within a day to remind
    # their registrants of (each event once per start time).
    event_reminder_interval_seconds: float = 60.0
    # How often the relay role sends the digests that are due and releases the deliveries
    # whose member's quiet hours ended (service_layer/scheduled_sends.py).
    scheduled_sends_interval_seconds: float = 60.0

    @property
    def reply_key(self) -> bytes:
        return self.reply_address_key.get_secret_value().encode()
