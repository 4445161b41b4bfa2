from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class ExportRequest(_message.Message):
    __slots__ = ("from_index", "since_size")
    FROM_INDEX_FIELD_NUMBER: _ClassVar[int]
    SINCE_SIZE_FIELD_NUMBER: _ClassVar[int]
    from_index: int
    since_size: int
    def __init__(self, from_index: _Optional[int] = ..., since_size: _Optional[int] = ...) -> None: ...

class ExportLine(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: str
    def __init__(self, json: _Optional[str] = ...) -> None: ...
