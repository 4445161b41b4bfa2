"""How engagement names a hidden ward panel to everyone outside it: by its ward only ("The ward
panel for Bloomsbury"), never by its name (DESIGN invariant 5: a hidden group's name never
reaches the public or partners). Pure: the texts come in, the texts to show go out.

A panel's name is matched in any case and with any spacing ("bloomsbury  PANEL" names
"Bloomsbury Panel"), as a whole phrase: a panel called "Safe" is not named by "Safer"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from snp_engagement.domain.rules import InvalidInput


@dataclass(frozen=True)
class Panel:
    """What naming needs of a ward panel: its own name, its ward, and whether it is hidden."""

    name: str
    ward_code: str
    ward_name: str
    hidden: bool


def ward_label(panel: Panel) -> str:
    """The name a hidden panel goes by in public: its ward (the code when no name is known)."""
    return f"The ward panel for {panel.ward_name.strip() or panel.ward_code}"


def _pattern(name: str) -> re.Pattern[str] | None:
    words = name.split()
    if not words:
        return None
    phrase = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){phrase}(?!\w)", re.IGNORECASE)


def names_panel(text: str, panel: Panel) -> bool:
    """Whether the text names the panel (its whole name, any case or spacing)."""
    pattern = _pattern(panel.name)
    return pattern is not None and pattern.search(text) is not None


# How each public text is called in a refusal ("the organiser names ..."): the portal puts
# the error on the field by these words.
FIELD_WORDS = {
    "organising_agency": "organiser",
    "title": "title",
    "description": "description",
    "place": "place",
    "contact_role": "contact role",
}


def check_not_named(panel: Panel, texts: dict[str, str]) -> None:
    """Refuse (422) a hidden panel's meeting whose public texts name the panel; `texts` maps
    each field (a key of FIELD_WORDS) to what was typed in it. A public panel may name itself
    anywhere. Refused rather than replaced: the officer sees what residents will read."""
    if not panel.hidden:
        return
    for field, text in texts.items():
        if names_panel(text, panel):
            raise InvalidInput(
                f"the {FIELD_WORDS.get(field, field)} names this hidden panel, whose name is"
                f' never shown in public: call it "{ward_label(panel)}"'
            )


def unnamed(text: str, panel: Panel) -> str:
    """The text with a hidden panel's name replaced by its ward label (a public panel's
    texts unchanged): for what was typed before the panel was hidden or renamed."""
    pattern = _pattern(panel.name)
    if not panel.hidden or pattern is None:
        return text
    return pattern.sub(ward_label(panel), text)
