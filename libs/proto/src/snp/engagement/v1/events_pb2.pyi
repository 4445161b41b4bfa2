from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

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

class ReportFiled(_message.Message):
    __slots__ = ("report_id", "ward_code", "category", "sealed_what", "sealed_where", "sealed_postcode", "happened_at", "reporter", "anonymous", "reference", "secret_sha256", "photo", "time_unknown")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    WARD_CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SEALED_WHAT_FIELD_NUMBER: _ClassVar[int]
    SEALED_WHERE_FIELD_NUMBER: _ClassVar[int]
    SEALED_POSTCODE_FIELD_NUMBER: _ClassVar[int]
    HAPPENED_AT_FIELD_NUMBER: _ClassVar[int]
    REPORTER_FIELD_NUMBER: _ClassVar[int]
    ANONYMOUS_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    SECRET_SHA256_FIELD_NUMBER: _ClassVar[int]
    PHOTO_FIELD_NUMBER: _ClassVar[int]
    TIME_UNKNOWN_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    ward_code: str
    category: str
    sealed_what: bytes
    sealed_where: bytes
    sealed_postcode: bytes
    happened_at: str
    reporter: str
    anonymous: bool
    reference: str
    secret_sha256: str
    photo: ReportPhoto
    time_unknown: bool
    def __init__(self, report_id: _Optional[str] = ..., ward_code: _Optional[str] = ..., category: _Optional[str] = ..., sealed_what: _Optional[bytes] = ..., sealed_where: _Optional[bytes] = ..., sealed_postcode: _Optional[bytes] = ..., happened_at: _Optional[str] = ..., reporter: _Optional[str] = ..., anonymous: _Optional[bool] = ..., reference: _Optional[str] = ..., secret_sha256: _Optional[str] = ..., photo: _Optional[_Union[ReportPhoto, _Mapping]] = ..., time_unknown: _Optional[bool] = ...) -> None: ...

class ReportPhoto(_message.Message):
    __slots__ = ("content_type", "size", "sha256")
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    content_type: str
    size: int
    sha256: str
    def __init__(self, content_type: _Optional[str] = ..., size: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...

class ReportPassed(_message.Message):
    __slots__ = ("report_id", "agency_id", "agency_name", "sealed_note", "passed_by", "reporter")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    AGENCY_NAME_FIELD_NUMBER: _ClassVar[int]
    SEALED_NOTE_FIELD_NUMBER: _ClassVar[int]
    PASSED_BY_FIELD_NUMBER: _ClassVar[int]
    REPORTER_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    agency_id: str
    agency_name: str
    sealed_note: bytes
    passed_by: str
    reporter: str
    def __init__(self, report_id: _Optional[str] = ..., agency_id: _Optional[str] = ..., agency_name: _Optional[str] = ..., sealed_note: _Optional[bytes] = ..., passed_by: _Optional[str] = ..., reporter: _Optional[str] = ...) -> None: ...

class ReportStatusChanged(_message.Message):
    __slots__ = ("report_id", "status", "sealed_note", "changed_by", "agency", "reporter")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SEALED_NOTE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    REPORTER_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    status: str
    sealed_note: bytes
    changed_by: str
    agency: str
    reporter: str
    def __init__(self, report_id: _Optional[str] = ..., status: _Optional[str] = ..., sealed_note: _Optional[bytes] = ..., changed_by: _Optional[str] = ..., agency: _Optional[str] = ..., reporter: _Optional[str] = ...) -> None: ...

class ReportRetentionSet(_message.Message):
    __slots__ = ("days_after_closing", "set_by")
    DAYS_AFTER_CLOSING_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    days_after_closing: int
    set_by: str
    def __init__(self, days_after_closing: _Optional[int] = ..., set_by: _Optional[str] = ...) -> None: ...

class ReportShredded(_message.Message):
    __slots__ = ("report_id", "reason", "days_after_closing")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DAYS_AFTER_CLOSING_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    reason: str
    days_after_closing: int
    def __init__(self, report_id: _Optional[str] = ..., reason: _Optional[str] = ..., days_after_closing: _Optional[int] = ...) -> None: ...

class EventPlace(_message.Message):
    __slots__ = ("text", "postcode", "to_be_confirmed")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    POSTCODE_FIELD_NUMBER: _ClassVar[int]
    TO_BE_CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    text: str
    postcode: str
    to_be_confirmed: bool
    def __init__(self, text: _Optional[str] = ..., postcode: _Optional[str] = ..., to_be_confirmed: _Optional[bool] = ...) -> None: ...

class EventScheduled(_message.Message):
    __slots__ = ("event_id", "kind", "title", "description", "ward_codes", "starts_at", "ends_at", "place", "agency", "organising_agency", "contact_role", "group_id", "scheduled_by")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    WARD_CODES_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    AGENCY_FIELD_NUMBER: _ClassVar[int]
    ORGANISING_AGENCY_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ROLE_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    kind: str
    title: str
    description: str
    ward_codes: _containers.RepeatedScalarFieldContainer[str]
    starts_at: int
    ends_at: int
    place: EventPlace
    agency: str
    organising_agency: str
    contact_role: str
    group_id: str
    scheduled_by: str
    def __init__(self, event_id: _Optional[str] = ..., kind: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., ward_codes: _Optional[_Iterable[str]] = ..., starts_at: _Optional[int] = ..., ends_at: _Optional[int] = ..., place: _Optional[_Union[EventPlace, _Mapping]] = ..., agency: _Optional[str] = ..., organising_agency: _Optional[str] = ..., contact_role: _Optional[str] = ..., group_id: _Optional[str] = ..., scheduled_by: _Optional[str] = ...) -> None: ...

class EventMoved(_message.Message):
    __slots__ = ("event_id", "starts_at", "ends_at", "place", "sequence", "moved_by")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MOVED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    starts_at: int
    ends_at: int
    place: EventPlace
    sequence: int
    moved_by: str
    def __init__(self, event_id: _Optional[str] = ..., starts_at: _Optional[int] = ..., ends_at: _Optional[int] = ..., place: _Optional[_Union[EventPlace, _Mapping]] = ..., sequence: _Optional[int] = ..., moved_by: _Optional[str] = ...) -> None: ...

class EventCancelled(_message.Message):
    __slots__ = ("event_id", "reason", "sequence", "cancelled_by")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    reason: str
    sequence: int
    cancelled_by: str
    def __init__(self, event_id: _Optional[str] = ..., reason: _Optional[str] = ..., sequence: _Optional[int] = ..., cancelled_by: _Optional[str] = ...) -> None: ...

class AgreedAction(_message.Message):
    __slots__ = ("description", "priority_id")
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_ID_FIELD_NUMBER: _ClassVar[int]
    description: str
    priority_id: str
    def __init__(self, description: _Optional[str] = ..., priority_id: _Optional[str] = ...) -> None: ...

class EventOutcomeRecorded(_message.Message):
    __slots__ = ("event_id", "issues_raised", "actions_agreed", "recorded_by", "attendance")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUES_RAISED_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_AGREED_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    ATTENDANCE_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    issues_raised: _containers.RepeatedScalarFieldContainer[str]
    actions_agreed: _containers.RepeatedCompositeFieldContainer[AgreedAction]
    recorded_by: str
    attendance: int
    def __init__(self, event_id: _Optional[str] = ..., issues_raised: _Optional[_Iterable[str]] = ..., actions_agreed: _Optional[_Iterable[_Union[AgreedAction, _Mapping]]] = ..., recorded_by: _Optional[str] = ..., attendance: _Optional[int] = ...) -> None: ...

class InterestRegistered(_message.Message):
    __slots__ = ("event_id", "account_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    account_id: str
    def __init__(self, event_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class InterestWithdrawn(_message.Message):
    __slots__ = ("event_id", "account_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    account_id: str
    def __init__(self, event_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...
