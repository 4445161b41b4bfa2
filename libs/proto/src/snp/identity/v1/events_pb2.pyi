from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TenantRegistered(_message.Message):
    __slots__ = ("slug", "display_name")
    SLUG_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    slug: str
    display_name: str
    def __init__(self, slug: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class EncryptedContact(_message.Message):
    __slots__ = ("display_name", "email", "phone")
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    display_name: bytes
    email: bytes
    phone: bytes
    def __init__(self, display_name: _Optional[bytes] = ..., email: _Optional[bytes] = ..., phone: _Optional[bytes] = ...) -> None: ...

class AccountRegistered(_message.Message):
    __slots__ = ("account_id", "kind", "contact", "registered_by", "agency_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    kind: str
    contact: EncryptedContact
    registered_by: str
    agency_id: str
    def __init__(self, account_id: _Optional[str] = ..., kind: _Optional[str] = ..., contact: _Optional[_Union[EncryptedContact, _Mapping]] = ..., registered_by: _Optional[str] = ..., agency_id: _Optional[str] = ...) -> None: ...

class ContactUpdated(_message.Message):
    __slots__ = ("account_id", "contact", "changed")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    contact: EncryptedContact
    changed: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, account_id: _Optional[str] = ..., contact: _Optional[_Union[EncryptedContact, _Mapping]] = ..., changed: _Optional[_Iterable[str]] = ...) -> None: ...

class PasswordChanged(_message.Message):
    __slots__ = ("account_id", "reason", "reset_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RESET_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    reason: str
    reset_id: str
    def __init__(self, account_id: _Optional[str] = ..., reason: _Optional[str] = ..., reset_id: _Optional[str] = ...) -> None: ...

class PasswordResetRequested(_message.Message):
    __slots__ = ("account_id", "reset_id", "token", "expires_at", "purpose")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    RESET_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    reset_id: str
    token: str
    expires_at: int
    purpose: str
    def __init__(self, account_id: _Optional[str] = ..., reset_id: _Optional[str] = ..., token: _Optional[str] = ..., expires_at: _Optional[int] = ..., purpose: _Optional[str] = ...) -> None: ...

class TotpEnrolmentStarted(_message.Message):
    __slots__ = ("account_id", "replacing")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REPLACING_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    replacing: bool
    def __init__(self, account_id: _Optional[str] = ..., replacing: _Optional[bool] = ...) -> None: ...

class TotpReplaced(_message.Message):
    __slots__ = ("account_id",)
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    def __init__(self, account_id: _Optional[str] = ...) -> None: ...

class RecoveryCodesRenewed(_message.Message):
    __slots__ = ("account_id", "count")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    count: int
    def __init__(self, account_id: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class TotpEnrolled(_message.Message):
    __slots__ = ("account_id",)
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    def __init__(self, account_id: _Optional[str] = ...) -> None: ...

class RecoveryCodeUsed(_message.Message):
    __slots__ = ("account_id", "remaining")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    remaining: int
    def __init__(self, account_id: _Optional[str] = ..., remaining: _Optional[int] = ...) -> None: ...

class SignInSucceeded(_message.Message):
    __slots__ = ("account_id", "amr", "client_address_hash")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMR_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_HASH_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    amr: _containers.RepeatedScalarFieldContainer[str]
    client_address_hash: str
    def __init__(self, account_id: _Optional[str] = ..., amr: _Optional[_Iterable[str]] = ..., client_address_hash: _Optional[str] = ...) -> None: ...

class SignInFailed(_message.Message):
    __slots__ = ("account_id", "reason", "client_address_hash")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_HASH_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    reason: str
    client_address_hash: str
    def __init__(self, account_id: _Optional[str] = ..., reason: _Optional[str] = ..., client_address_hash: _Optional[str] = ...) -> None: ...

class AccountLockedOut(_message.Message):
    __slots__ = ("account_id", "seconds")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    seconds: int
    def __init__(self, account_id: _Optional[str] = ..., seconds: _Optional[int] = ...) -> None: ...

class RoleGranted(_message.Message):
    __slots__ = ("account_id", "role", "granted_by")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_BY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    role: str
    granted_by: str
    def __init__(self, account_id: _Optional[str] = ..., role: _Optional[str] = ..., granted_by: _Optional[str] = ...) -> None: ...

class RoleRevoked(_message.Message):
    __slots__ = ("account_id", "role", "revoked_by")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    REVOKED_BY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    role: str
    revoked_by: str
    def __init__(self, account_id: _Optional[str] = ..., role: _Optional[str] = ..., revoked_by: _Optional[str] = ...) -> None: ...

class AccountDisabled(_message.Message):
    __slots__ = ("account_id", "disabled_by")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DISABLED_BY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    disabled_by: str
    def __init__(self, account_id: _Optional[str] = ..., disabled_by: _Optional[str] = ...) -> None: ...

class AccountErased(_message.Message):
    __slots__ = ("account_id", "erased_by")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ERASED_BY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    erased_by: str
    def __init__(self, account_id: _Optional[str] = ..., erased_by: _Optional[str] = ...) -> None: ...

class RefreshFamilyRevoked(_message.Message):
    __slots__ = ("account_id", "family_id", "reason")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    FAMILY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    family_id: str
    reason: str
    def __init__(self, account_id: _Optional[str] = ..., family_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ContactsReleased(_message.Message):
    __slots__ = ("account_id", "requested_by", "purpose", "why")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    WHY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    requested_by: str
    purpose: str
    why: ReleasePurpose
    def __init__(self, account_id: _Optional[str] = ..., requested_by: _Optional[str] = ..., purpose: _Optional[str] = ..., why: _Optional[_Union[ReleasePurpose, _Mapping]] = ...) -> None: ...

class ContactsBatchReleased(_message.Message):
    __slots__ = ("account_ids", "requested_by", "purpose", "why")
    ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    WHY_FIELD_NUMBER: _ClassVar[int]
    account_ids: _containers.RepeatedScalarFieldContainer[str]
    requested_by: str
    purpose: str
    why: ReleasePurpose
    def __init__(self, account_ids: _Optional[_Iterable[str]] = ..., requested_by: _Optional[str] = ..., purpose: _Optional[str] = ..., why: _Optional[_Union[ReleasePurpose, _Mapping]] = ...) -> None: ...

class ReleasePurpose(_message.Message):
    __slots__ = ("code", "message_id", "subject", "sender_role", "sender_kind", "force", "group_id", "group_name", "team", "shared", "export_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SENDER_ROLE_FIELD_NUMBER: _ClassVar[int]
    SENDER_KIND_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_NAME_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    SHARED_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    message_id: str
    subject: str
    sender_role: str
    sender_kind: str
    force: str
    group_id: str
    group_name: str
    team: str
    shared: str
    export_id: str
    def __init__(self, code: _Optional[str] = ..., message_id: _Optional[str] = ..., subject: _Optional[str] = ..., sender_role: _Optional[str] = ..., sender_kind: _Optional[str] = ..., force: _Optional[str] = ..., group_id: _Optional[str] = ..., group_name: _Optional[str] = ..., team: _Optional[str] = ..., shared: _Optional[str] = ..., export_id: _Optional[str] = ...) -> None: ...

class AuthenticatorResetRequested(_message.Message):
    __slots__ = ("account_id", "request_id", "requested_by", "reason", "expires_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    request_id: str
    requested_by: str
    reason: bytes
    expires_at: int
    def __init__(self, account_id: _Optional[str] = ..., request_id: _Optional[str] = ..., requested_by: _Optional[str] = ..., reason: _Optional[bytes] = ..., expires_at: _Optional[int] = ...) -> None: ...

class AuthenticatorResetApproved(_message.Message):
    __slots__ = ("account_id", "request_id", "requested_by", "approved_by")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    request_id: str
    requested_by: str
    approved_by: str
    def __init__(self, account_id: _Optional[str] = ..., request_id: _Optional[str] = ..., requested_by: _Optional[str] = ..., approved_by: _Optional[str] = ...) -> None: ...

class AuthenticatorResetRejected(_message.Message):
    __slots__ = ("account_id", "request_id", "rejected_by")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REJECTED_BY_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    request_id: str
    rejected_by: str
    def __init__(self, account_id: _Optional[str] = ..., request_id: _Optional[str] = ..., rejected_by: _Optional[str] = ...) -> None: ...

class AuthenticatorResetExpired(_message.Message):
    __slots__ = ("account_id", "request_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    request_id: str
    def __init__(self, account_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class AgencyRegistered(_message.Message):
    __slots__ = ("agency_id", "name", "kind", "registered_by")
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    name: str
    kind: str
    registered_by: str
    def __init__(self, agency_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., registered_by: _Optional[str] = ...) -> None: ...

class AgencyRenamed(_message.Message):
    __slots__ = ("agency_id", "name", "renamed_by")
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RENAMED_BY_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    name: str
    renamed_by: str
    def __init__(self, agency_id: _Optional[str] = ..., name: _Optional[str] = ..., renamed_by: _Optional[str] = ...) -> None: ...

class AgencyRetired(_message.Message):
    __slots__ = ("agency_id", "retired_by", "partner_account_ids")
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    RETIRED_BY_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    agency_id: str
    retired_by: str
    partner_account_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, agency_id: _Optional[str] = ..., retired_by: _Optional[str] = ..., partner_account_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SubjectExportRequested(_message.Message):
    __slots__ = ("export_id", "account_id", "services")
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    export_id: str
    account_id: str
    services: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, export_id: _Optional[str] = ..., account_id: _Optional[str] = ..., services: _Optional[_Iterable[str]] = ...) -> None: ...

class SubjectExportCompleted(_message.Message):
    __slots__ = ("export_id", "account_id", "size_bytes", "sha256", "expires_at")
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    export_id: str
    account_id: str
    size_bytes: int
    sha256: str
    expires_at: int
    def __init__(self, export_id: _Optional[str] = ..., account_id: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., expires_at: _Optional[int] = ...) -> None: ...

class SubjectExportExpired(_message.Message):
    __slots__ = ("export_id", "account_id")
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    export_id: str
    account_id: str
    def __init__(self, export_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class AssociationSharingChanged(_message.Message):
    __slots__ = ("account_id", "agreed")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AGREED_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    agreed: bool
    def __init__(self, account_id: _Optional[str] = ..., agreed: _Optional[bool] = ...) -> None: ...
