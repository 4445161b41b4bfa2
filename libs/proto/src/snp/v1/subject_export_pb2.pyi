from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ExportSubjectRequest(_message.Message):
    __slots__ = ("tenant", "account_id")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    account_id: str
    def __init__(self, tenant: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class ExportSubjectResponse(_message.Message):
    __slots__ = ("service", "json")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    service: str
    json: bytes
    def __init__(self, service: _Optional[str] = ..., json: _Optional[bytes] = ...) -> None: ...
