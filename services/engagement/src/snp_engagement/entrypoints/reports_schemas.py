"""The request bodies of residents' reports. What, where and the notes are free text with
limits that keep a report readable and refuse a flood (100 kB of text is a 422); a photo comes
as base64 in the JSON (one request, so a refused photo refuses the whole report)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, ClassVar, Literal

from pydantic import AwareDatetime, Field, field_validator

from snp_engagement.entrypoints.schemas import Category
from snp_engagement.service_layer.reports_filing import ReportForm
from snp_platform.bodies import RequestBody

# 5 MiB of photo is about 7 MB of base64; a larger limit in settings is still checked there.
MAX_PHOTO_BASE64 = 36 * 1024 * 1024
Ward = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9]+$")]
# A UK postcode, with or without its space, any case (GIR 0AA included).
Postcode = Annotated[
    str,
    Field(
        max_length=8,
        pattern=r"^(?i:(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}))$",
        examples=["WC1E 7HX"],
    ),
]
Status = Literal["action_taken", "closed"]


class ReportIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"what", "where"})

    ward_code: Ward
    category: Category
    what: str = Field(min_length=1, max_length=4000)
    where: str = Field(min_length=1, max_length=1000)
    postcode: Postcode | None = None
    happened_at: AwareDatetime
    # False: the resident gave the day without a time (happened_at stands for that day).
    time_known: bool = True
    photo_base64: str | None = Field(default=None, max_length=MAX_PHOTO_BASE64)

    @field_validator("photo_base64")
    @classmethod
    def _is_base64(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("photo_base64 must be standard base64") from None
        return value

    def form(self) -> ReportForm:
        postcode = (self.postcode or "").upper().replace(" ", "")
        if postcode:
            postcode = f"{postcode[:-3]} {postcode[-3:]}"
        photo = base64.b64decode(self.photo_base64) if self.photo_base64 is not None else None
        return ReportForm(
            self.ward_code,
            self.category,
            self.what,
            self.where,
            postcode,
            self.happened_at,
            photo,
            self.time_known,
        )


class PassIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"note"})

    agency_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")
    note: str = Field(min_length=1, max_length=2000)


class StatusIn(RequestBody):
    free_text: ClassVar[frozenset[str]] = frozenset({"note"})

    status: Status
    note: str = Field(min_length=1, max_length=2000)


class FollowIn(RequestBody):
    reference: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9\-]+$")
    secret: str = Field(min_length=1, max_length=64)
