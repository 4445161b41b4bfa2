from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GroupSummary(_message.Message):
    __slots__ = ("group_id", "group_type", "ward_code", "ward_name", "visibility", "status", "directory")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_TYPE_FIELD_NUMBER: _ClassVar[int]
    WARD_CODE_FIELD_NUMBER: _ClassVar[int]
    WARD_NAME_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DIRECTORY_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    group_type: str
    ward_code: str
    ward_name: str
    visibility: str
    status: str
    directory: str
    def __init__(self, group_id: _Optional[str] = ..., group_type: _Optional[str] = ..., ward_code: _Optional[str] = ..., ward_name: _Optional[str] = ..., visibility: _Optional[str] = ..., status: _Optional[str] = ..., directory: _Optional[str] = ...) -> None: ...

class GetGroupRolesRequest(_message.Message):
    __slots__ = ("tenant", "group_id", "account_id")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    group_id: str
    account_id: str
    def __init__(self, tenant: _Optional[str] = ..., group_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class GetGroupRolesResponse(_message.Message):
    __slots__ = ("group_found", "group", "roles")
    GROUP_FOUND_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    group_found: bool
    group: GroupSummary
    roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, group_found: _Optional[bool] = ..., group: _Optional[_Union[GroupSummary, _Mapping]] = ..., roles: _Optional[_Iterable[str]] = ...) -> None: ...

class ListGroupMembersRequest(_message.Message):
    __slots__ = ("tenant", "group_id", "page_size", "page_token")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    group_id: str
    page_size: int
    page_token: str
    def __init__(self, tenant: _Optional[str] = ..., group_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class GroupMember(_message.Message):
    __slots__ = ("account_id", "roles")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, account_id: _Optional[str] = ..., roles: _Optional[_Iterable[str]] = ...) -> None: ...

class ListGroupMembersResponse(_message.Message):
    __slots__ = ("group_found", "group", "members", "next_page_token")
    GROUP_FOUND_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    group_found: bool
    group: GroupSummary
    members: _containers.RepeatedCompositeFieldContainer[GroupMember]
    next_page_token: str
    def __init__(self, group_found: _Optional[bool] = ..., group: _Optional[_Union[GroupSummary, _Mapping]] = ..., members: _Optional[_Iterable[_Union[GroupMember, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListAccountGroupsRequest(_message.Message):
    __slots__ = ("tenant", "account_id")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    account_id: str
    def __init__(self, tenant: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class AccountGroup(_message.Message):
    __slots__ = ("group", "roles")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    group: GroupSummary
    roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, group: _Optional[_Union[GroupSummary, _Mapping]] = ..., roles: _Optional[_Iterable[str]] = ...) -> None: ...

class ListAccountGroupsResponse(_message.Message):
    __slots__ = ("groups",)
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[AccountGroup]
    def __init__(self, groups: _Optional[_Iterable[_Union[AccountGroup, _Mapping]]] = ...) -> None: ...

class ListGroupsLedAloneRequest(_message.Message):
    __slots__ = ("tenant", "account_id")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    account_id: str
    def __init__(self, tenant: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class LedGroup(_message.Message):
    __slots__ = ("group_id", "name", "role")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    name: str
    role: str
    def __init__(self, group_id: _Optional[str] = ..., name: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class ListGroupsLedAloneResponse(_message.Message):
    __slots__ = ("groups",)
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[LedGroup]
    def __init__(self, groups: _Optional[_Iterable[_Union[LedGroup, _Mapping]]] = ...) -> None: ...
