"""Request bodies refuse text PostgreSQL cannot store (NUL, lone surrogates) and control
characters, allowing line breaks only in the fields declared free text."""

from __future__ import annotations

from typing import ClassVar

import pytest
from pydantic import ValidationError

from snp_platform.bodies import RequestBody


class Message(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"body"})
    subject: str
    body: str
    tags: list[str] = []


def test_ordinary_text_and_line_breaks_in_free_text_pass() -> None:
    message = Message(
        subject="Café on Hill St — 10:00", body="Line one\nLine two\tend", tags=["ok"]
    )
    assert message.body.count("\n") == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"subject": "nul\x00byte", "body": "b"},
        {"subject": "line\nbreak", "body": "b"},
        {"subject": "s", "body": "bell\x07"},
        {"subject": "s", "body": "lone \ud800 surrogate"},
        {"subject": "s", "body": "b", "tags": ["fine", "bad\x00"]},
        {"subject": "s", "body": "b", "unexpected": "field"},
    ],
)
def test_unstorable_text_and_unknown_fields_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Message(**fields)  # type: ignore[arg-type]
