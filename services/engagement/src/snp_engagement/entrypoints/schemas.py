"""Request bodies (JSON). Length limits keep a panel's page readable and refuse a flood of text
(a 100 kB description is a 422 and changes nothing)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from snp_platform.bodies import RequestBody

ResourceId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Category = Literal["asb", "drugs", "burglary", "vehicle_crime", "road_safety", "other"]
Status = Literal["planned", "in_progress", "done", "not_possible"]
Verdict = Literal["accepted", "not_delivered"]
IsoDate = Annotated[str, Field(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class PriorityIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"description"})

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    category: Category


class VoteIn(RequestBody):
    candidate_id: ResourceId


class OrderIn(RequestBody):
    priority_ids: list[ResourceId] = Field(min_length=1, max_length=20)


class ActionIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"description", "outcome"})

    description: str = Field(min_length=1, max_length=4000)
    done_on: IsoDate
    status: Status
    outcome: str = Field(default="", max_length=4000)

    def what(self) -> tuple[str, str, str, str]:
        return (self.description, self.done_on, self.status, self.outcome)


class ReviewIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"comment"})

    verdict: Verdict
    comment: str = Field(default="", max_length=2000)
