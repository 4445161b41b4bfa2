from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GroupRef(_message.Message):
    __slots__ = ("group_id", "tenant", "group_type", "ward_code", "ward_name")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_FIELD_NUMBER: _ClassVar[int]
    GROUP_TYPE_FIELD_NUMBER: _ClassVar[int]
    WARD_CODE_FIELD_NUMBER: _ClassVar[int]
    WARD_NAME_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    tenant: str
    group_type: str
    ward_code: str
    ward_name: str
    def __init__(self, group_id: _Optional[str] = ..., tenant: _Optional[str] = ..., group_type: _Optional[str] = ..., ward_code: _Optional[str] = ..., ward_name: _Optional[str] = ...) -> None: ...

class GroupCreated(_message.Message):
    __slots__ = ("group", "name", "description", "visibility", "directory", "created_by", "first_officer", "first_officer_role")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    DIRECTORY_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    FIRST_OFFICER_FIELD_NUMBER: _ClassVar[int]
    FIRST_OFFICER_ROLE_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    name: str
    description: str
    visibility: str
    directory: str
    created_by: str
    first_officer: str
    first_officer_role: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., visibility: _Optional[str] = ..., directory: _Optional[str] = ..., created_by: _Optional[str] = ..., first_officer: _Optional[str] = ..., first_officer_role: _Optional[str] = ...) -> None: ...

class GroupUpdated(_message.Message):
    __slots__ = ("group", "name", "description", "directory", "updated_by")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DIRECTORY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    name: str
    description: str
    directory: str
    updated_by: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., directory: _Optional[str] = ..., updated_by: _Optional[str] = ...) -> None: ...

class GroupVisibilityChanged(_message.Message):
    __slots__ = ("group", "visibility", "changed_by")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    visibility: str
    changed_by: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., visibility: _Optional[str] = ..., changed_by: _Optional[str] = ...) -> None: ...

class GroupClosed(_message.Message):
    __slots__ = ("group", "closed_by")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    CLOSED_BY_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    closed_by: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., closed_by: _Optional[str] = ...) -> None: ...

class JoinRequested(_message.Message):
    __slots__ = ("group", "request_id", "account_id")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    request_id: str
    account_id: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., request_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class JoinRejected(_message.Message):
    __slots__ = ("group", "request_id", "account_id", "rejected_by")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REJECTED_BY_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    request_id: str
    account_id: str
    rejected_by: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., request_id: _Optional[str] = ..., account_id: _Optional[str] = ..., rejected_by: _Optional[str] = ...) -> None: ...

class MemberAdmitted(_message.Message):
    __slots__ = ("group", "account_id", "request_id", "admitted_by")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ADMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    account_id: str
    request_id: str
    admitted_by: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., account_id: _Optional[str] = ..., request_id: _Optional[str] = ..., admitted_by: _Optional[str] = ...) -> None: ...

class MemberLeft(_message.Message):
    __slots__ = ("group", "account_id", "reason")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    account_id: str
    reason: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., account_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class MemberRemoved(_message.Message):
    __slots__ = ("group", "account_id", "removed_by")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REMOVED_BY_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    account_id: str
    removed_by: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., account_id: _Optional[str] = ..., removed_by: _Optional[str] = ...) -> None: ...

class OfficerAppointed(_message.Message):
    __slots__ = ("group", "account_id", "role", "appointed_by")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    APPOINTED_BY_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    account_id: str
    role: str
    appointed_by: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., account_id: _Optional[str] = ..., role: _Optional[str] = ..., appointed_by: _Optional[str] = ...) -> None: ...

class OfficerStoodDown(_message.Message):
    __slots__ = ("group", "account_id", "role", "stood_down_by", "reason")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    STOOD_DOWN_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    account_id: str
    role: str
    stood_down_by: str
    reason: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., account_id: _Optional[str] = ..., role: _Optional[str] = ..., stood_down_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ApprovalMarked(_message.Message):
    __slots__ = ("group", "subject", "account_id", "side", "marked_by")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    MARKED_BY_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    subject: str
    account_id: str
    side: str
    marked_by: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., subject: _Optional[str] = ..., account_id: _Optional[str] = ..., side: _Optional[str] = ..., marked_by: _Optional[str] = ...) -> None: ...

class ApprovalWithdrawn(_message.Message):
    __slots__ = ("group", "subject", "account_id", "side", "withdrawn_by", "reason")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    subject: str
    account_id: str
    side: str
    withdrawn_by: str
    reason: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., subject: _Optional[str] = ..., account_id: _Optional[str] = ..., side: _Optional[str] = ..., withdrawn_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class GroupNeedsOfficer(_message.Message):
    __slots__ = ("group", "reason")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    group: GroupRef
    reason: str
    def __init__(self, group: _Optional[_Union[GroupRef, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class AreaSet(_message.Message):
    __slots__ = ("account_id", "ward_codes", "set_by")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    WARD_CODES_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    ward_codes: _containers.RepeatedScalarFieldContainer[str]
    set_by: str
    def __init__(self, account_id: _Optional[str] = ..., ward_codes: _Optional[_Iterable[str]] = ..., set_by: _Optional[str] = ...) -> None: ...

class AreaExported(_message.Message):
    __slots__ = ("export_id", "account_id", "ward_codes", "group_ids", "coordinators", "contacts_released", "format")
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    WARD_CODES_FIELD_NUMBER: _ClassVar[int]
    GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    COORDINATORS_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_RELEASED_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    export_id: str
    account_id: str
    ward_codes: _containers.RepeatedScalarFieldContainer[str]
    group_ids: _containers.RepeatedScalarFieldContainer[str]
    coordinators: int
    contacts_released: int
    format: str
    def __init__(self, export_id: _Optional[str] = ..., account_id: _Optional[str] = ..., ward_codes: _Optional[_Iterable[str]] = ..., group_ids: _Optional[_Iterable[str]] = ..., coordinators: _Optional[int] = ..., contacts_released: _Optional[int] = ..., format: _Optional[str] = ...) -> None: ...
