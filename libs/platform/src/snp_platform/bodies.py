"""The base of every JSON request body: unknown fields refused, only text PostgreSQL can store.

A JSON string can carry NUL (`\\u0000`), other control characters and lone surrogates
(`\\ud800`); PostgreSQL cannot store NUL and UTF-8 cannot encode a lone surrogate, so either would
reach the database as a 500. Refused here, they are a 422 like any other invalid field.
"""

from __future__ import annotations

import unicodedata
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

_LINE_BREAKS = frozenset("\n\r\t")


def is_plain_text(value: str) -> bool:
    """No control characters (tabs and newlines included) and no lone surrogates."""
    return not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value)


def is_free_text(value: str) -> bool:
    """Like plain text, but line breaks and tabs are allowed (descriptions, message bodies)."""
    return not any(
        unicodedata.category(ch) in ("Cc", "Cs") and ch not in _LINE_BREAKS for ch in value
    )


class RequestBody(BaseModel):
    """Subclass for request bodies; fields named in `free_text` may hold line breaks."""

    model_config = ConfigDict(extra="forbid")
    free_text: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _only_storable_text(cls, value: object, info: ValidationInfo) -> object:
        allowed = is_free_text if info.field_name in cls.free_text else is_plain_text
        texts = value if isinstance(value, list | tuple | set | frozenset) else [value]
        if any(isinstance(text, str) and not allowed(text) for text in texts):
            raise ValueError("must not contain control characters or invalid Unicode")
        return value
