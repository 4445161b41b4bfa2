"""Where an engagement event happens: free text, an optional UK postcode, or "location to be
confirmed" (a walkabout's meeting point is often settled late)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from snp_engagement.domain.rules import InvalidInput

# The shape of a UK postcode (outward code, space optional, inward code), and the one
# historic exception GIR 0AA. It says the text is a postcode, not that Royal Mail delivers there.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)
MAX_PLACE = 500


@dataclass(frozen=True)
class Place:
    text: str
    postcode: str = ""
    to_be_confirmed: bool = False


def normalised_postcode(text: str) -> str:
    """`wc1h9je` -> `WC1H 9JE`; InvalidInput when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.match(compact):
        raise InvalidInput("the postcode is not a UK postcode such as WC1H 9JE")
    return f"{compact[:-3]} {compact[-3:]}"


def checked_place(text: str, postcode: str, to_be_confirmed: bool) -> Place:
    """A place residents can find, or one plainly marked as not settled yet."""
    text = text.strip()
    if len(text) > MAX_PLACE:
        raise InvalidInput(f"a place is at most {MAX_PLACE} characters")
    code = normalised_postcode(postcode) if postcode.strip() else ""
    if not text and not code and not to_be_confirmed:
        raise InvalidInput("say where the event is, or that its location is to be confirmed")
    return Place(text, code, to_be_confirmed)
