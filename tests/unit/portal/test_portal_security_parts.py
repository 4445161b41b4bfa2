"""The portal's account-security parts that need no stack: the QR code's markup, and the
new-password form's checks and messages."""

from __future__ import annotations

import pytest

from snp_portal.adapters.api import Refusal
from snp_portal.entrypoints.passwords import minutes, new_password_errors, refused_password
from snp_portal.entrypoints.qr import QR_TITLE, grouped, qr_svg


def test_the_qr_code_is_inline_svg_with_a_name_and_no_style_or_data_uri() -> None:
    svg = str(qr_svg("otpauth://totp/Safer%20Neighbourhoods:a1?secret=JBSWY3DPEHPK3PXP"))
    assert svg.startswith('<svg role="img" focusable="false" ')
    assert f"<title>{QR_TITLE}</title>" in svg
    assert "style=" not in svg and "data:" not in svg and "<script" not in svg


def test_the_secret_is_grouped_in_fours() -> None:
    assert grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"
    assert grouped("ABCDEF") == "ABCD EF"


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({}, "new_password", "Enter a new password"),
        ({"new_password": "short"}, "new_password", "12 characters or more"),
        (
            {"new_password": "long enough pass", "confirm_password": "other"},
            "confirm_password",
            "do not match",
        ),
    ],
)
def test_new_password_form_errors(form: dict[str, str], field: str, words: str) -> None:
    errors = new_password_errors(form)
    assert list(errors) == [field] and words in errors[field]


def test_a_good_new_password_form_has_no_errors() -> None:
    assert new_password_errors({"new_password": "a" * 12, "confirm_password": "a" * 12}) == {}


def test_identity_refusals_read_as_sentences() -> None:
    refusal = Refusal(
        422,
        "invalid-input",
        "Unprocessable",
        "The request cannot be accepted.",
        {"": "password is too common"},
    )
    assert refused_password(refusal) == "Password is too common"
    assert (
        minutes(3600) == "60 minutes" and minutes(30) == "1 minute" and minutes(None) == "1 minute"
    )
