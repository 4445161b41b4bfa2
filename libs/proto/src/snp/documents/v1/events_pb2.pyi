from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SealedText(_message.Message):
    __slots__ = ("ciphertext",)
    CIPHERTEXT_FIELD_NUMBER: _ClassVar[int]
    ciphertext: bytes
    def __init__(self, ciphertext: _Optional[bytes] = ...) -> None: ...

class DocumentStored(_message.Message):
    __slots__ = ("document_id", "group_id", "audience", "title", "file_name", "content_type", "size_bytes", "sha256", "stored_by")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    STORED_BY_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    group_id: str
    audience: str
    title: SealedText
    file_name: SealedText
    content_type: str
    size_bytes: int
    sha256: str
    stored_by: str
    def __init__(self, document_id: _Optional[str] = ..., group_id: _Optional[str] = ..., audience: _Optional[str] = ..., title: _Optional[_Union[SealedText, _Mapping]] = ..., file_name: _Optional[_Union[SealedText, _Mapping]] = ..., content_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., stored_by: _Optional[str] = ...) -> None: ...

class DocumentDeleted(_message.Message):
    __slots__ = ("document_id", "group_id", "deleted_by")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    DELETED_BY_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    group_id: str
    deleted_by: str
    def __init__(self, document_id: _Optional[str] = ..., group_id: _Optional[str] = ..., deleted_by: _Optional[str] = ...) -> None: ...

class DocumentForwarded(_message.Message):
    __slots__ = ("document_id", "group_id", "mailing_list_id", "recipient_account_ids", "title", "forwarded_by", "audience")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    MAILING_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    FORWARDED_BY_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    group_id: str
    mailing_list_id: str
    recipient_account_ids: _containers.RepeatedScalarFieldContainer[str]
    title: SealedText
    forwarded_by: str
    audience: str
    def __init__(self, document_id: _Optional[str] = ..., group_id: _Optional[str] = ..., mailing_list_id: _Optional[str] = ..., recipient_account_ids: _Optional[_Iterable[str]] = ..., title: _Optional[_Union[SealedText, _Mapping]] = ..., forwarded_by: _Optional[str] = ..., audience: _Optional[str] = ...) -> None: ...

class MailingListCreated(_message.Message):
    __slots__ = ("mailing_list_id", "group_id", "name", "member_account_ids", "created_by")
    MAILING_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    mailing_list_id: str
    group_id: str
    name: SealedText
    member_account_ids: _containers.RepeatedScalarFieldContainer[str]
    created_by: str
    def __init__(self, mailing_list_id: _Optional[str] = ..., group_id: _Optional[str] = ..., name: _Optional[_Union[SealedText, _Mapping]] = ..., member_account_ids: _Optional[_Iterable[str]] = ..., created_by: _Optional[str] = ...) -> None: ...

class MailingListMembersReplaced(_message.Message):
    __slots__ = ("mailing_list_id", "group_id", "member_account_ids", "changed_by")
    MAILING_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    mailing_list_id: str
    group_id: str
    member_account_ids: _containers.RepeatedScalarFieldContainer[str]
    changed_by: str
    def __init__(self, mailing_list_id: _Optional[str] = ..., group_id: _Optional[str] = ..., member_account_ids: _Optional[_Iterable[str]] = ..., changed_by: _Optional[str] = ...) -> None: ...

class MailingListMemberRemoved(_message.Message):
    __slots__ = ("mailing_list_id", "group_id", "account_id", "reason")
    MAILING_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    mailing_list_id: str
    group_id: str
    account_id: str
    reason: str
    def __init__(self, mailing_list_id: _Optional[str] = ..., group_id: _Optional[str] = ..., account_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class MailingListDeleted(_message.Message):
    __slots__ = ("mailing_list_id", "group_id", "deleted_by")
    MAILING_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    DELETED_BY_FIELD_NUMBER: _ClassVar[int]
    mailing_list_id: str
    group_id: str
    deleted_by: str
    def __init__(self, mailing_list_id: _Optional[str] = ..., group_id: _Optional[str] = ..., deleted_by: _Optional[str] = ...) -> None: ...

class GroupKeyCreated(_message.Message):
    __slots__ = ("group_id", "kek_id")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    KEK_ID_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    kek_id: str
    def __init__(self, group_id: _Optional[str] = ..., kek_id: _Optional[str] = ...) -> None: ...

class GroupKeyRewrapped(_message.Message):
    __slots__ = ("group_id", "from_kek_id", "to_kek_id")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_KEK_ID_FIELD_NUMBER: _ClassVar[int]
    TO_KEK_ID_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    from_kek_id: str
    to_kek_id: str
    def __init__(self, group_id: _Optional[str] = ..., from_kek_id: _Optional[str] = ..., to_kek_id: _Optional[str] = ...) -> None: ...
