from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class PrioritySet(_message.Message):
    __slots__ = ("priority_id", "group_id", "ward_code", "period", "title", "description", "category", "position", "set_by", "from_candidate_id")
    PRIORITY_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    WARD_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    FROM_CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    priority_id: str
    group_id: str
    ward_code: str
    period: str
    title: str
    description: str
    category: str
    position: int
    set_by: str
    from_candidate_id: str
    def __init__(self, priority_id: _Optional[str] = ..., group_id: _Optional[str] = ..., ward_code: _Optional[str] = ..., period: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., category: _Optional[str] = ..., position: _Optional[int] = ..., set_by: _Optional[str] = ..., from_candidate_id: _Optional[str] = ...) -> None: ...

class PriorityEdited(_message.Message):
    __slots__ = ("priority_id", "group_id", "period", "title", "description", "category", "edited_by")
    PRIORITY_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    EDITED_BY_FIELD_NUMBER: _ClassVar[int]
    priority_id: str
    group_id: str
    period: str
    title: str
    description: str
    category: str
    edited_by: str
    def __init__(self, priority_id: _Optional[str] = ..., group_id: _Optional[str] = ..., period: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., category: _Optional[str] = ..., edited_by: _Optional[str] = ...) -> None: ...

class PrioritiesReordered(_message.Message):
    __slots__ = ("group_id", "period", "priority_ids", "reordered_by")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_IDS_FIELD_NUMBER: _ClassVar[int]
    REORDERED_BY_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    period: str
    priority_ids: _containers.RepeatedScalarFieldContainer[str]
    reordered_by: str
    def __init__(self, group_id: _Optional[str] = ..., period: _Optional[str] = ..., priority_ids: _Optional[_Iterable[str]] = ..., reordered_by: _Optional[str] = ...) -> None: ...

class PriorityRetired(_message.Message):
    __slots__ = ("priority_id", "group_id", "period", "retired_by")
    PRIORITY_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    RETIRED_BY_FIELD_NUMBER: _ClassVar[int]
    priority_id: str
    group_id: str
    period: str
    retired_by: str
    def __init__(self, priority_id: _Optional[str] = ..., group_id: _Optional[str] = ..., period: _Optional[str] = ..., retired_by: _Optional[str] = ...) -> None: ...

class PeriodPublished(_message.Message):
    __slots__ = ("group_id", "ward_code", "period", "published_by")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    WARD_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    ward_code: str
    period: str
    published_by: str
    def __init__(self, group_id: _Optional[str] = ..., ward_code: _Optional[str] = ..., period: _Optional[str] = ..., published_by: _Optional[str] = ...) -> None: ...

class ActionRecorded(_message.Message):
    __slots__ = ("action_id", "priority_id", "group_id", "period", "agency", "description", "done_on", "status", "outcome", "recorded_by")
    ACTION_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DONE_ON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    action_id: str
    priority_id: str
    group_id: str
    period: str
    agency: str
    description: str
    done_on: str
    status: str
    outcome: str
    recorded_by: str
    def __init__(self, action_id: _Optional[str] = ..., priority_id: _Optional[str] = ..., group_id: _Optional[str] = ..., period: _Optional[str] = ..., agency: _Optional[str] = ..., description: _Optional[str] = ..., done_on: _Optional[str] = ..., status: _Optional[str] = ..., outcome: _Optional[str] = ..., recorded_by: _Optional[str] = ...) -> None: ...

class ActionUpdated(_message.Message):
    __slots__ = ("action_id", "priority_id", "agency", "description", "done_on", "status", "outcome", "updated_by")
    ACTION_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DONE_ON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    action_id: str
    priority_id: str
    agency: str
    description: str
    done_on: str
    status: str
    outcome: str
    updated_by: str
    def __init__(self, action_id: _Optional[str] = ..., priority_id: _Optional[str] = ..., agency: _Optional[str] = ..., description: _Optional[str] = ..., done_on: _Optional[str] = ..., status: _Optional[str] = ..., outcome: _Optional[str] = ..., updated_by: _Optional[str] = ...) -> None: ...

class ActionReviewed(_message.Message):
    __slots__ = ("action_id", "priority_id", "group_id", "verdict", "comment", "reviewed_by")
    ACTION_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    action_id: str
    priority_id: str
    group_id: str
    verdict: str
    comment: str
    reviewed_by: str
    def __init__(self, action_id: _Optional[str] = ..., priority_id: _Optional[str] = ..., group_id: _Optional[str] = ..., verdict: _Optional[str] = ..., comment: _Optional[str] = ..., reviewed_by: _Optional[str] = ...) -> None: ...

class CandidateProposed(_message.Message):
    __slots__ = ("candidate_id", "group_id", "ward_code", "period", "title", "description", "category", "proposed_by")
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    WARD_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_BY_FIELD_NUMBER: _ClassVar[int]
    candidate_id: str
    group_id: str
    ward_code: str
    period: str
    title: str
    description: str
    category: str
    proposed_by: str
    def __init__(self, candidate_id: _Optional[str] = ..., group_id: _Optional[str] = ..., ward_code: _Optional[str] = ..., period: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., category: _Optional[str] = ..., proposed_by: _Optional[str] = ...) -> None: ...

class VotingClosed(_message.Message):
    __slots__ = ("group_id", "period", "closed_by")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CLOSED_BY_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    period: str
    closed_by: str
    def __init__(self, group_id: _Optional[str] = ..., period: _Optional[str] = ..., closed_by: _Optional[str] = ...) -> None: ...

class VoteCast(_message.Message):
    __slots__ = ("group_id", "period", "candidate_id", "voter")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_ID_FIELD_NUMBER: _ClassVar[int]
    VOTER_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    period: str
    candidate_id: str
    voter: str
    def __init__(self, group_id: _Optional[str] = ..., period: _Optional[str] = ..., candidate_id: _Optional[str] = ..., voter: _Optional[str] = ...) -> None: ...
