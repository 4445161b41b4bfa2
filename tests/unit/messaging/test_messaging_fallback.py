"""The fallback channel's rule: only an urgent message's email that bounced or failed for good
is sent again by text, never a text, and the text says why it came that way."""

from __future__ import annotations

import pytest

from snp_messaging.domain.deliveries import NO_PHONE_FOR_FALLBACK, plain_reason
from snp_messaging.domain.fallback import falls_back, inbox_notice, text_notice
from snp_messaging.service_layer.compose import MessageForDelivery, compose


@pytest.mark.parametrize("outcome", ["bounced", "failed"])
def test_an_urgent_email_that_failed_for_good_falls_back(outcome: str) -> None:
    assert falls_back("urgent", "email", outcome)


@pytest.mark.parametrize("priority", ["low", "normal", "high", ""])
def test_a_less_urgent_message_does_not_fall_back(priority: str) -> None:
    assert not falls_back(priority, "email", "bounced")


def test_a_text_never_falls_back_so_a_fallback_has_no_second() -> None:
    assert not falls_back("urgent", "sms", "bounced")
    assert not falls_back("urgent", "sms", "failed")


@pytest.mark.parametrize("outcome", ["sent", "pending", "queued", "held", "skipped"])
def test_an_email_that_did_not_fail_for_good_does_not_fall_back(outcome: str) -> None:
    assert not falls_back("urgent", "email", outcome)


def test_the_fallback_text_says_first_that_the_email_failed() -> None:
    message = MessageForDelivery(
        "m1", "Road closed", "The high street is closed.", "urgent", "PC Jo", "police officer",
        "Test Constabulary", "", [], is_fallback=True,
    )  # fmt: skip
    out = compose(message, "d-1", "+447700900123", "Ann", "https://snp.example")
    assert out.text.startswith(text_notice() + "\n\nThe high street is closed.")
    plain = compose(
        MessageForDelivery(**{**message.__dict__, "is_fallback": False}),
        "d-1",
        "+447700900123",
        "Ann",
        "https://snp.example",
    )
    assert text_notice() not in plain.text


def test_the_inbox_notice_names_the_message_and_what_happened() -> None:
    bounced = inbox_notice("Road closed", "bounced")
    assert "\u201cRoad closed\u201d was refused by your email provider" in bounced
    assert "by text message instead" in bounced
    assert "could not be sent" in inbox_notice("Road closed", "failed")


def test_a_fallback_without_a_phone_reads_no_address_not_account_erased() -> None:
    assert plain_reason("skipped", NO_PHONE_FOR_FALLBACK) == "no address"
    assert plain_reason("skipped", "account erased") == "account erased"
