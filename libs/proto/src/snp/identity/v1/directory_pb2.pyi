from snp.identity.v1 import events_pb2 as _events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetContactsRequest(_message.Message):
    __slots__ = ("tenant", "account_ids", "purpose", "why")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    WHY_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    account_ids: _containers.RepeatedScalarFieldContainer[str]
    purpose: str
    why: _events_pb2.ReleasePurpose
    def __init__(self, tenant: _Optional[str] = ..., account_ids: _Optional[_Iterable[str]] = ..., purpose: _Optional[str] = ..., why: _Optional[_Union[_events_pb2.ReleasePurpose, _Mapping]] = ...) -> None: ...

class ContactDetails(_message.Message):
    __slots__ = ("account_id", "display_name", "email", "phone")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    display_name: str
    email: str
    phone: str
    def __init__(self, account_id: _Optional[str] = ..., display_name: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ...) -> None: ...

class GetContactsResponse(_message.Message):
    __slots__ = ("contacts",)
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[ContactDetails]
    def __init__(self, contacts: _Optional[_Iterable[_Union[ContactDetails, _Mapping]]] = ...) -> None: ...

class GetDisplayNamesRequest(_message.Message):
    __slots__ = ("tenant", "account_ids")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    account_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tenant: _Optional[str] = ..., account_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetDisplayNamesResponse(_message.Message):
    __slots__ = ("display_names",)
    class DisplayNamesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    DISPLAY_NAMES_FIELD_NUMBER: _ClassVar[int]
    display_names: _containers.ScalarMap[str, str]
    def __init__(self, display_names: _Optional[_Mapping[str, str]] = ...) -> None: ...
