"""Request bodies of engagement events (JSON). Length limits keep a listing readable and
refuse a flood of text (100 kB of description is a 422 and records nothing)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from snp_engagement.domain.events_places import Place, checked_place
from snp_engagement.domain.events_schedule import (
    MAX_ATTENDANCE,
    MAX_ITEMS,
    MAX_WARDS,
    Details,
)
from snp_engagement.domain.events_times import checked_times, utc_instant
from snp_platform.bodies import RequestBody

Kind = Literal[
    "safety_surgery", "walkabout", "womens_safety_walk", "engagement_day", "panel_meeting"
]
WardCode = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9]+$")]
# Europe/London wall-clock time (`2027-03-04T18:30`) or ISO 8601 with an offset.
When = Annotated[str, Field(min_length=10, max_length=40, examples=["2027-03-04T18:30"])]
ResourceId = Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9_.:\-]*$")]


class PlaceIn(RequestBody):
    text: str = Field(default="", max_length=500)
    postcode: str = Field(default="", max_length=10)
    to_be_confirmed: bool = False

    def place(self) -> Place:
        return checked_place(self.text, self.postcode, self.to_be_confirmed)


class TimesIn(RequestBody):
    starts_at: When
    ends_at: When
    place: PlaceIn

    def times(self) -> tuple[int, int]:
        starts = utc_instant(self.starts_at, "the start")
        return checked_times(starts, utc_instant(self.ends_at, "the end"))


class EventIn(TimesIn):
    free_text: ClassVar[frozenset[str]] = frozenset({"description"})

    kind: Kind
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    ward_codes: list[WardCode] = Field(default_factory=list, max_length=MAX_WARDS)
    organising_agency: str = Field(min_length=1, max_length=200)
    contact_role: str = Field(default="", max_length=200)
    group_id: ResourceId = ""  # a panel meeting's ward panel

    def details(self) -> Details:
        starts_at, ends_at = self.times()
        return Details(
            self.kind,
            self.title.strip(),
            self.description.strip(),
            tuple(self.ward_codes),
            starts_at,
            ends_at,
            self.place.place(),
            self.organising_agency.strip(),
            self.contact_role.strip(),
        )


class CancelIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"reason"})

    reason: str = Field(default="", max_length=1000)


class AgreedActionIn(RequestBody):
    description: str = Field(min_length=1, max_length=1000)
    priority_id: ResourceId = ""


class OutcomeIn(RequestBody):
    issues_raised: list[Annotated[str, Field(max_length=1000)]] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )
    actions_agreed: list[AgreedActionIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    # How many came, when the organiser counted; left out (null) when not.
    attendance: int | None = Field(default=None, ge=0, le=MAX_ATTENDANCE)

    def actions(self) -> list[tuple[str, str]]:
        return [(a.description, a.priority_id) for a in self.actions_agreed]
