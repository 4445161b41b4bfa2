"""A hidden ward panel is named by its ward only: its own name, in any case or spacing, is
refused in a meeting's public texts and replaced in what was typed before it was hidden; a
public panel may name itself."""

from __future__ import annotations

import pytest

from snp_engagement.domain.panel_names import (
    Panel,
    check_not_named,
    names_panel,
    unnamed,
    ward_label,
)
from snp_engagement.domain.rules import InvalidInput
from snp_engagement.service_layer.events_public import public_texts

HIDDEN = Panel("Argyle Square Panel", "E05000138", "Bloomsbury", hidden=True)
PUBLIC = Panel("Argyle Square Panel", "E05000138", "Bloomsbury", hidden=False)


def test_a_hidden_panel_goes_by_its_ward_or_its_ward_code() -> None:
    assert ward_label(HIDDEN) == "The ward panel for Bloomsbury"
    unnamed_ward = Panel("Argyle Square Panel", "E05000138", "  ", hidden=True)
    assert ward_label(unnamed_ward) == "The ward panel for E05000138"


def test_the_name_is_found_in_any_case_or_spacing_as_a_whole_phrase() -> None:
    assert names_panel("Organised by the argyle  SQUARE\npanel", HIDDEN)
    assert not names_panel("Argyle Square Panellists", HIDDEN)
    assert not names_panel("Argyle Square", HIDDEN)
    assert not names_panel("anything", Panel("   ", "E05000138", "Bloomsbury", hidden=True))


def test_a_hidden_panels_meeting_naming_the_panel_is_refused_with_the_field_and_the_label() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_not_named(HIDDEN, {"title": "Meeting", "organising_agency": "argyle square panel"})
    assert str(refused.value).startswith("the organiser names this hidden panel")
    assert "The ward panel for Bloomsbury" in str(refused.value)
    check_not_named(HIDDEN, {"organising_agency": "The ward panel for Bloomsbury"})


def test_a_public_panel_may_name_itself() -> None:
    check_not_named(PUBLIC, {"organising_agency": "Argyle Square Panel"})
    assert unnamed("Argyle Square Panel meeting", PUBLIC) == "Argyle Square Panel meeting"


def test_a_hidden_panels_name_is_replaced_in_old_texts() -> None:
    assert unnamed("The ARGYLE square panel meets", HIDDEN) == (
        "The The ward panel for Bloomsbury meets"
    )
    assert unnamed("Ward sergeant", HIDDEN) == "Ward sergeant"


def _row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "title": "Argyle Square Panel: quarterly meeting",
        "description": "Come and meet the Argyle Square Panel.",
        "place_text": "Argyle Square Panel room",
        "organising_agency": "Argyle Square Panel",
        "contact_role": "Chair",
        "panel_name": "Argyle Square Panel",
        "panel_ward_code": "E05000138",
        "panel_ward_name": "Bloomsbury",
        "panel_visibility": "hidden",
    }
    return {**row, **changes}


def test_public_texts_of_a_hidden_panels_meeting_never_carry_its_name() -> None:
    shown = public_texts(_row())
    for field in ("title", "description", "place_text", "organising_agency"):
        assert "argyle" not in str(shown[field]).lower(), field
    assert shown["organising_agency"] == "The ward panel for Bloomsbury"


def test_public_texts_of_other_events_are_unchanged() -> None:
    assert public_texts(_row(panel_visibility="public")) == _row(panel_visibility="public")
    other = _row(panel_visibility=None, panel_name=None)
    assert public_texts(other) == other
