"""A person's contact details as they give them, checked before anything is stored."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_EMAIL = re.compile(
    r"[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
_PHONE = re.compile(r"\+[1-9][0-9]{6,14}")  # E.164, as SMS providers want it


@dataclass(frozen=True)
class Contact:
    display_name: str
    email: str
    phone: str = ""

    def problems(self) -> list[str]:
        """What is wrong with these details (empty when they are fine)."""
        found = []
        name = self.display_name.strip()
        if not 1 <= len(name) <= 100:
            found.append("display_name must be 1 to 100 characters")
        if any(unicodedata.category(c).startswith("C") for c in name):
            found.append("display_name must not contain control characters")
        if len(self.email) > 254 or not _EMAIL.fullmatch(self.email):
            found.append("email must be a valid email address")
        if self.phone and not _PHONE.fullmatch(self.phone):
            found.append("phone must be in international format, e.g. +447700900123")
        return found

    def normalised(self) -> Contact:
        return Contact(self.display_name.strip(), self.email.strip(), self.phone.strip())


def normalise_email(email: str) -> str:
    """The form used for look-ups: case does not make a different person."""
    return email.strip().lower()
