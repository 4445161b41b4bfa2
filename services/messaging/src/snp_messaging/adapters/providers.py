"""The channels the settings choose: SMTP or GOV.UK Notify for email, Notify for SMS."""

from __future__ import annotations

from snp_messaging.adapters.channels import Channel
from snp_messaging.adapters.notify import NotifyChannel
from snp_messaging.adapters.smtp import SmtpEmailChannel
from snp_messaging.settings import MessagingSettings


def channels_from_settings(settings: MessagingSettings) -> dict[str, Channel]:
    """A fresh set of channels (each delivery thread holds its own connections)."""
    made: dict[str, Channel] = {}
    key = settings.notify_api_key.get_secret_value()
    if settings.email_provider == "smtp":
        made["email"] = SmtpEmailChannel(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_from,
            settings.mail_domain,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
            reply_key=settings.reply_key,
        )
    elif settings.email_provider == "notify" and key:
        made["email"] = NotifyChannel(
            "email", key, settings.notify_email_template_id, settings.notify_base_url
        )
    if settings.sms_provider == "notify" and key:
        made["sms"] = NotifyChannel(
            "sms", key, settings.notify_sms_template_id, settings.notify_base_url
        )
    return made
