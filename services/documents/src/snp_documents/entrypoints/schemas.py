"""Request bodies (JSON); uploads are multipart and read by adapters/multipart.py."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from snp_platform.bodies import RequestBody

AccountId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
ResourceId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]


class MailingListIn(RequestBody):
    name: str = Field(min_length=1, max_length=200)
    member_account_ids: list[AccountId] = Field(default_factory=list, max_length=5000)


class MailingListMembersIn(RequestBody):
    member_account_ids: list[AccountId] = Field(max_length=5000)


class ForwardIn(RequestBody):
    mailing_list_id: ResourceId
