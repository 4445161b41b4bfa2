"""Identity's event types: names on the wire and the protobuf message of each."""

from __future__ import annotations

from snp.identity.v1 import events_pb2 as pb
from snp_platform.eventstore.codec import EventCodec

SCHEMA_VERSION = 1
CODEC = EventCodec(
    "identity",
    SCHEMA_VERSION,
    (
        pb.TenantRegistered,
        pb.AccountRegistered,
        pb.ContactUpdated,
        pb.PasswordChanged,
        pb.TotpEnrolmentStarted,
        pb.TotpEnrolled,
        pb.RecoveryCodeUsed,
        pb.SignInSucceeded,
        pb.SignInFailed,
        pb.AccountLockedOut,
        pb.RoleGranted,
        pb.RoleRevoked,
        pb.AccountDisabled,
        pb.AccountErased,
        pb.RefreshFamilyRevoked,
        pb.ContactsReleased,
        pb.ContactsBatchReleased,
        pb.PasswordResetRequested,
        pb.TotpReplaced,
        pb.RecoveryCodesRenewed,
        pb.AuthenticatorResetRequested,
        pb.AuthenticatorResetApproved,
        pb.AuthenticatorResetRejected,
        pb.AuthenticatorResetExpired,
        pb.AgencyRegistered,
        pb.AgencyRenamed,
        pb.AgencyRetired,
        pb.SubjectExportRequested,
        pb.SubjectExportCompleted,
        pb.SubjectExportExpired,
        pb.AssociationSharingChanged,
    ),
)
# Names are `identity.<Message>`; parse_event raises UnknownEventType (a KeyError) for others.
EVENT_TYPES, event_type, parse_event = CODEC.types, CODEC.event_type, CODEC.parse
