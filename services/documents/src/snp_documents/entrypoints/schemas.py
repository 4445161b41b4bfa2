"""Request bodies (JSON); uploads are multipart and read by adapters/multipart.py."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

AccountId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
ResourceId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]


class MailingListIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    member_account_ids: list[AccountId] = Field(default_factory=list, max_length=5000)


class MailingListMembersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member_account_ids: list[AccountId] = Field(max_length=5000)


class ForwardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mailing_list_id: ResourceId
