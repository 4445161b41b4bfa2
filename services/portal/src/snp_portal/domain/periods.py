"""The periods a ward panel sets priorities for: quarters, as engagement names them (`2027-Q1`)
and as people say them ("January to March 2027"). Pure: a date in, names out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PERIOD = re.compile(r"^(20[0-9]{2})-Q([1-4])$")
_MONTHS = ("January to March", "April to June", "July to September", "October to December")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    @property
    def code(self) -> str:
        """Engagement's name for it, e.g. `2027-Q1`."""
        return f"{self.year}-Q{self.number}"

    @property
    def words(self) -> str:
        return f"{_MONTHS[self.number - 1]} {self.year}"

    def previous(self) -> Quarter | None:
        """The quarter before (None before 2000: engagement takes only 20xx)."""
        before = (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )
        return before if before.year >= 2000 else None

    def next(self) -> Quarter | None:
        after = (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )
        return after if after.year <= 2099 else None


def quarter_of(day: date) -> Quarter:
    """The quarter `day` falls in (the page's default: today's, in UK time)."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse(code: str | None) -> Quarter | None:
    """`2027-Q1` as a Quarter; None for anything else (the page then says so)."""
    found = _PERIOD.match(code or "")
    return Quarter(int(found.group(1)), int(found.group(2))) if found else None
