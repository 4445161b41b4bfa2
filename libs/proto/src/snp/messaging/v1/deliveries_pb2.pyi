from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class DeliveryJob(_message.Message):
    __slots__ = ("delivery_id", "message_id", "tenant", "account_id", "channel", "attempt")
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    message_id: str
    tenant: str
    account_id: str
    channel: str
    attempt: int
    def __init__(self, delivery_id: _Optional[str] = ..., message_id: _Optional[str] = ..., tenant: _Optional[str] = ..., account_id: _Optional[str] = ..., channel: _Optional[str] = ..., attempt: _Optional[int] = ...) -> None: ...
