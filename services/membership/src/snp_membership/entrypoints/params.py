"""Path and query parameters, each checked before anything reaches PostgreSQL (ids are UUIDs,
codes and searches plain printable text), so malformed input is a 422, never a 500."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Path, Query

GroupId = Annotated[uuid.UUID, Path(description="the group's id")]
RequestId = Annotated[uuid.UUID, Path(description="the join request's id")]
AccountId = Annotated[uuid.UUID, Path(description="the member's account id")]
Role = Annotated[str, Path(pattern=r"^[a-z_]{1,32}$", description="chair, coordinator, ...")]
TenantSlug = Annotated[str, Path(pattern=r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$")]
Ward = Annotated[
    str | None, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$", description="ward code")
]
Search = Annotated[
    str | None,
    Query(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$", description="part of the name"),
]
WardSearch = Annotated[
    str | None,
    Query(
        max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$", description="ward code or part of its name"
    ),
]
Cursor = Annotated[str | None, Query(max_length=400, pattern=r"^[A-Za-z0-9_=-]*$")]
Limit = Annotated[int, Query(ge=1, le=100)]
ExpectedVersion = Annotated[int | None, Query(ge=0)]
GroupTypeFilter = Annotated[
    Literal["neighbourhood_watch", "ward_panel", "community_group"] | None, Query()
]
StatusFilter = Annotated[Literal["open", "closed"] | None, Query()]
VisibilityFilter = Annotated[Literal["public", "hidden"] | None, Query()]
ApprovalFilter = Annotated[
    Literal["police", "area_coordinator", "both", "none", "not_police"] | None,
    Query(description="the group's own marking: by which sides, or none, or not by police"),
]
Flag = Annotated[bool | None, Query()]
