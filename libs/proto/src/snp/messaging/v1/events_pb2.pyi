from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sender(_message.Message):
    __slots__ = ("account_id", "role", "force", "kind", "agency_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AGENCY_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    role: str
    force: str
    kind: str
    agency_id: str
    def __init__(self, account_id: _Optional[str] = ..., role: _Optional[str] = ..., force: _Optional[str] = ..., kind: _Optional[str] = ..., agency_id: _Optional[str] = ...) -> None: ...

class Provider(_message.Message):
    __slots__ = ("id", "name", "kind")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class Audience(_message.Message):
    __slots__ = ("type", "id", "group_id")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    type: str
    id: str
    group_id: str
    def __init__(self, type: _Optional[str] = ..., id: _Optional[str] = ..., group_id: _Optional[str] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("attachment_id", "filename", "content_type", "size", "sha256")
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    attachment_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    def __init__(self, attachment_id: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...

class MessageSent(_message.Message):
    __slots__ = ("message_id", "sender", "audience", "subject", "body", "message_type", "priority", "recipients", "deliveries", "attachments", "link", "provider", "follows_up", "digest_of")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    FOLLOWS_UP_FIELD_NUMBER: _ClassVar[int]
    DIGEST_OF_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    sender: Sender
    audience: Audience
    subject: str
    body: str
    message_type: str
    priority: str
    recipients: int
    deliveries: int
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    link: str
    provider: Provider
    follows_up: FollowUp
    digest_of: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, message_id: _Optional[str] = ..., sender: _Optional[_Union[Sender, _Mapping]] = ..., audience: _Optional[_Union[Audience, _Mapping]] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., message_type: _Optional[str] = ..., priority: _Optional[str] = ..., recipients: _Optional[int] = ..., deliveries: _Optional[int] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ..., link: _Optional[str] = ..., provider: _Optional[_Union[Provider, _Mapping]] = ..., follows_up: _Optional[_Union[FollowUp, _Mapping]] = ..., digest_of: _Optional[_Iterable[str]] = ...) -> None: ...

class AttachmentStored(_message.Message):
    __slots__ = ("attachment", "uploaded_by")
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_BY_FIELD_NUMBER: _ClassVar[int]
    attachment: Attachment
    uploaded_by: str
    def __init__(self, attachment: _Optional[_Union[Attachment, _Mapping]] = ..., uploaded_by: _Optional[str] = ...) -> None: ...

class PreferencesChanged(_message.Message):
    __slots__ = ("account_id", "channels", "areas", "minimum_priority", "digest", "digest_below", "quiet_start", "quiet_end")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    AREAS_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_PRIORITY_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    DIGEST_BELOW_FIELD_NUMBER: _ClassVar[int]
    QUIET_START_FIELD_NUMBER: _ClassVar[int]
    QUIET_END_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    channels: _containers.RepeatedScalarFieldContainer[str]
    areas: _containers.RepeatedScalarFieldContainer[str]
    minimum_priority: str
    digest: str
    digest_below: str
    quiet_start: str
    quiet_end: str
    def __init__(self, account_id: _Optional[str] = ..., channels: _Optional[_Iterable[str]] = ..., areas: _Optional[_Iterable[str]] = ..., minimum_priority: _Optional[str] = ..., digest: _Optional[str] = ..., digest_below: _Optional[str] = ..., quiet_start: _Optional[str] = ..., quiet_end: _Optional[str] = ...) -> None: ...

class ContactDeliveryProblemRecorded(_message.Message):
    __slots__ = ("account_id", "channel", "delivery_id", "message_id", "outcome", "reason")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    channel: str
    delivery_id: str
    message_id: str
    outcome: str
    reason: str
    def __init__(self, account_id: _Optional[str] = ..., channel: _Optional[str] = ..., delivery_id: _Optional[str] = ..., message_id: _Optional[str] = ..., outcome: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DeliveryFellBack(_message.Message):
    __slots__ = ("account_id", "message_id", "email_delivery_id", "sms_delivery_id", "outcome", "notice_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    SMS_DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    NOTICE_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    message_id: str
    email_delivery_id: str
    sms_delivery_id: str
    outcome: str
    notice_id: str
    def __init__(self, account_id: _Optional[str] = ..., message_id: _Optional[str] = ..., email_delivery_id: _Optional[str] = ..., sms_delivery_id: _Optional[str] = ..., outcome: _Optional[str] = ..., notice_id: _Optional[str] = ...) -> None: ...

class ContactDeliveryProblemCleared(_message.Message):
    __slots__ = ("account_id", "channel", "reason")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    channel: str
    reason: str
    def __init__(self, account_id: _Optional[str] = ..., channel: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ProviderConsentChanged(_message.Message):
    __slots__ = ("account_id", "provider", "on")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    provider: Provider
    on: bool
    def __init__(self, account_id: _Optional[str] = ..., provider: _Optional[_Union[Provider, _Mapping]] = ..., on: _Optional[bool] = ...) -> None: ...

class ProviderDefaultsChanged(_message.Message):
    __slots__ = ("on", "off")
    ON_FIELD_NUMBER: _ClassVar[int]
    OFF_FIELD_NUMBER: _ClassVar[int]
    on: _containers.RepeatedScalarFieldContainer[str]
    off: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, on: _Optional[_Iterable[str]] = ..., off: _Optional[_Iterable[str]] = ...) -> None: ...

class DigestScheduleChanged(_message.Message):
    __slots__ = ("time", "weekday")
    TIME_FIELD_NUMBER: _ClassVar[int]
    WEEKDAY_FIELD_NUMBER: _ClassVar[int]
    time: str
    weekday: str
    def __init__(self, time: _Optional[str] = ..., weekday: _Optional[str] = ...) -> None: ...

class AlertApprovalRuleChanged(_message.Message):
    __slots__ = ("required", "split", "force_wide", "urgent")
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    SPLIT_FIELD_NUMBER: _ClassVar[int]
    FORCE_WIDE_FIELD_NUMBER: _ClassVar[int]
    URGENT_FIELD_NUMBER: _ClassVar[int]
    required: bool
    split: bool
    force_wide: bool
    urgent: bool
    def __init__(self, required: _Optional[bool] = ..., split: _Optional[bool] = ..., force_wide: _Optional[bool] = ..., urgent: _Optional[bool] = ...) -> None: ...

class AlertHeld(_message.Message):
    __slots__ = ("alert_id", "sender", "audience", "subject", "body", "message_type", "priority", "provider", "attachment_ids")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_IDS_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    sender: Sender
    audience: Audience
    subject: str
    body: str
    message_type: str
    priority: str
    provider: Provider
    attachment_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, alert_id: _Optional[str] = ..., sender: _Optional[_Union[Sender, _Mapping]] = ..., audience: _Optional[_Union[Audience, _Mapping]] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., message_type: _Optional[str] = ..., priority: _Optional[str] = ..., provider: _Optional[_Union[Provider, _Mapping]] = ..., attachment_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class AlertEdited(_message.Message):
    __slots__ = ("alert_id", "subject", "body", "message_type", "priority")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TYPE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    subject: str
    body: str
    message_type: str
    priority: str
    def __init__(self, alert_id: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., message_type: _Optional[str] = ..., priority: _Optional[str] = ...) -> None: ...

class AlertApproved(_message.Message):
    __slots__ = ("alert_id", "approved_by", "reason")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    approved_by: str
    reason: str
    def __init__(self, alert_id: _Optional[str] = ..., approved_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AlertRejected(_message.Message):
    __slots__ = ("alert_id", "rejected_by", "reason")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    REJECTED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    rejected_by: str
    reason: str
    def __init__(self, alert_id: _Optional[str] = ..., rejected_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AlertWithdrawn(_message.Message):
    __slots__ = ("alert_id", "withdrawn_by", "reason")
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    withdrawn_by: str
    reason: str
    def __init__(self, alert_id: _Optional[str] = ..., withdrawn_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class MessageFollowedUp(_message.Message):
    __slots__ = ("message_id", "follow_up_id", "kind", "reason")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    follow_up_id: str
    kind: str
    reason: str
    def __init__(self, message_id: _Optional[str] = ..., follow_up_id: _Optional[str] = ..., kind: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class FollowUp(_message.Message):
    __slots__ = ("message_id", "kind")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    kind: str
    def __init__(self, message_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class Poll(_message.Message):
    __slots__ = ("question", "options", "multiple")
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    MULTIPLE_FIELD_NUMBER: _ClassVar[int]
    question: str
    options: _containers.RepeatedScalarFieldContainer[str]
    multiple: bool
    def __init__(self, question: _Optional[str] = ..., options: _Optional[_Iterable[str]] = ..., multiple: _Optional[bool] = ...) -> None: ...

class PollAttached(_message.Message):
    __slots__ = ("message_id", "poll")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    POLL_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    poll: Poll
    def __init__(self, message_id: _Optional[str] = ..., poll: _Optional[_Union[Poll, _Mapping]] = ...) -> None: ...

class PollAnswered(_message.Message):
    __slots__ = ("message_id", "account_id", "choices")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHOICES_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    account_id: str
    choices: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, message_id: _Optional[str] = ..., account_id: _Optional[str] = ..., choices: _Optional[_Iterable[int]] = ...) -> None: ...

class MessageRated(_message.Message):
    __slots__ = ("message_id", "account_id", "useful", "comment")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    USEFUL_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    account_id: str
    useful: bool
    comment: str
    def __init__(self, message_id: _Optional[str] = ..., account_id: _Optional[str] = ..., useful: _Optional[bool] = ..., comment: _Optional[str] = ...) -> None: ...

class AnonymousRepliesAllowed(_message.Message):
    __slots__ = ("message_id",)
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    def __init__(self, message_id: _Optional[str] = ...) -> None: ...

class ReplyPosted(_message.Message):
    __slots__ = ("thread_id", "message_id", "reply_id", "account_id", "text", "share_contact", "anonymous", "reference")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SHARE_CONTACT_FIELD_NUMBER: _ClassVar[int]
    ANONYMOUS_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    message_id: str
    reply_id: str
    account_id: str
    text: str
    share_contact: str
    anonymous: bool
    reference: str
    def __init__(self, thread_id: _Optional[str] = ..., message_id: _Optional[str] = ..., reply_id: _Optional[str] = ..., account_id: _Optional[str] = ..., text: _Optional[str] = ..., share_contact: _Optional[str] = ..., anonymous: _Optional[bool] = ..., reference: _Optional[str] = ...) -> None: ...

class ReplyAnswered(_message.Message):
    __slots__ = ("thread_id", "reply_id", "answered_by", "text", "answer_message_id")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    REPLY_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_BY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ANSWER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    reply_id: str
    answered_by: str
    text: str
    answer_message_id: str
    def __init__(self, thread_id: _Optional[str] = ..., reply_id: _Optional[str] = ..., answered_by: _Optional[str] = ..., text: _Optional[str] = ..., answer_message_id: _Optional[str] = ...) -> None: ...

class ReplyThreadHandled(_message.Message):
    __slots__ = ("thread_id", "handled_by")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    HANDLED_BY_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    handled_by: str
    def __init__(self, thread_id: _Optional[str] = ..., handled_by: _Optional[str] = ...) -> None: ...
