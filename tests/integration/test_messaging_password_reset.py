"""A password reset asked of identity is mailed once by messaging, as plain text that reads well,
with the link to the portal's reset page; an unknown address gets no mail at all."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from tests.integration.membership_people import identity_context
from tests.integration.messaging_helpers import body_text, envelope_recipients, mails_to, wait_until
from tests.integration.portal_people import make_account, new_force, portal_url
from tests.integration.security_helpers import forget_address_throttles, identity_api, reset_tokens

pytestmark = pytest.mark.integration


def test_the_reset_mail_is_sent_once_with_the_portal_link(stack: Any) -> None:
    forget_address_throttles(stack)
    with identity_context(stack) as ctx, identity_api(stack) as api:
        tenant = new_force(ctx)
        member = make_account(ctx, tenant, "member", "Priya Mailbox")
        unknown = f"nobody-{uuid.uuid4().hex[:8]}@{tenant}.example"
        for email in (member.email, unknown):
            asked = api.post("/password-resets", json={"tenant": tenant, "email": email})
            assert asked.status_code == 202
        (token,) = reset_tokens(ctx, tenant, member.account_id)

    wait_until(lambda: bool(mails_to(stack.maildir, member.email)), what="the reset mail")
    time.sleep(3)  # a duplicate delivery would have arrived by now
    (mail,) = mails_to(stack.maildir, member.email)
    assert unknown.lower() not in envelope_recipients(stack.maildir)
    assert mail["Subject"] == "Reset your password"
    assert not mail.is_multipart() and mail.get_content_type() == "text/plain"
    text = body_text(mail)
    link = f"{portal_url(stack)}/reset-password/{token}"
    lines = text.splitlines()
    assert lines[0] == "Hello Priya Mailbox,"
    assert link in lines, text
    assert "The link works once, until" in text
    assert "If you did not ask for this, ignore this email" in text
    assert all(len(line) <= 78 for line in lines if line != link), text
