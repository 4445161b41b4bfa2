"""The account aggregate: what may happen to an account, decided from its past events.

Pure: commands take the current state and return the events to record; `evolve` folds events
into state. Personal data arrives already encrypted; secrets never enter events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from google.protobuf.message import Message

from snp.identity.v1 import events_pb2 as pb

KINDS = frozenset(
    {"member", "police", "tenant_admin", "area_coordinator", "auditor", "operator", "partner"}
)
STAFF_KINDS = KINDS - {"member"}
# Who may create which kind of account (the policy decides who the caller is allowed to be).
CREATABLE_BY_TENANT_ADMIN = frozenset(
    {"police", "tenant_admin", "area_coordinator", "auditor", "partner"}
)
# An officer of a partner agency: the one kind that acts for an agency, and always names it.
PARTNER = "partner"
# The purpose of a reset link that sets a new staff account's first password.
SET_UP = "set_up"


class Status(Enum):
    NEW = "new"
    ACTIVE = "active"
    DISABLED = "disabled"
    ERASED = "erased"


class TotpState(Enum):
    NONE = "none"
    PENDING = "pending"
    ENROLLED = "enrolled"


class AccountRuleBroken(Exception):
    """A command the account's state does not allow (HTTP 409 or 422 at the edge)."""


@dataclass(frozen=True)
class LedGroup:
    """A group the account is the only chair or coordinator of (membership's answer)."""

    group_id: str
    name: str
    office: str


class LastLeader(AccountRuleBroken):
    """A member who leads a group alone cannot erase their own account: the group would be
    left without anyone who can admit, appoint or hand over. They hand over first."""

    def __init__(self, groups: Sequence[LedGroup]) -> None:
        names = ", ".join(g.name for g in groups)
        super().__init__(f"you are the only chair or coordinator of {names}: hand over first")
        self.groups = tuple(groups)


@dataclass(frozen=True)
class ResetRequest:
    """An authenticator reset waiting for a second administrator's approval."""

    request_id: str
    requested_by: str
    expires_at: int  # Unix seconds

    def expired(self, now: float) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True)
class Account:
    """An account's state, as far as decisions need it (no personal data, no secrets)."""

    account_id: str
    kind: str = ""
    status: Status = Status.NEW
    totp: TotpState = TotpState.NONE
    # A new authenticator waits for its first code while the enrolled one keeps working.
    replacing_totp: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)
    # A reset of the authenticator asked by one administrator, waiting for a second one.
    reset_request: ResetRequest | None = None
    agency_id: str = ""  # a partner's agency; empty for every other kind
    # A member agreed their contact details may go to the Neighbourhood Watch association.
    shares_with_association: bool = False
    version: int = 0

    @property
    def usable(self) -> bool:
        return self.status is Status.ACTIVE


Decision = Callable[[Account], list[Message]]


def evolve(account: Account, event: Message) -> Account:
    """The state after one event."""
    bumped = replace(account, version=account.version + 1)
    if isinstance(event, pb.AccountRegistered):
        return replace(bumped, kind=event.kind, status=Status.ACTIVE, agency_id=event.agency_id)
    if isinstance(event, pb.TotpEnrolmentStarted):
        if event.replacing:
            return replace(bumped, replacing_totp=True)
        return replace(bumped, totp=TotpState.PENDING)
    if isinstance(event, (pb.TotpEnrolled, pb.TotpReplaced)):
        return replace(bumped, totp=TotpState.ENROLLED, replacing_totp=False)
    if isinstance(event, pb.RoleGranted):
        return replace(bumped, roles=bumped.roles | {event.role})
    if isinstance(event, pb.RoleRevoked):
        return replace(bumped, roles=bumped.roles - {event.role})
    if isinstance(event, pb.AccountDisabled):
        return replace(bumped, status=Status.DISABLED)
    if isinstance(event, pb.AccountErased):
        return replace(
            bumped, status=Status.ERASED, roles=frozenset(), totp=TotpState.NONE, reset_request=None
        )
    if isinstance(event, pb.AssociationSharingChanged):
        return replace(bumped, shares_with_association=event.agreed)
    if isinstance(event, pb.AuthenticatorResetRequested):
        waiting = ResetRequest(event.request_id, event.requested_by, event.expires_at)
        return replace(bumped, reset_request=waiting)
    if isinstance(event, pb.AuthenticatorResetApproved):
        return replace(bumped, totp=TotpState.NONE, replacing_totp=False, reset_request=None)
    if isinstance(event, (pb.AuthenticatorResetRejected, pb.AuthenticatorResetExpired)):
        return replace(bumped, reset_request=None)
    return bumped


def fold(account_id: str, events: Iterable[Message]) -> Account:
    """An account rebuilt from its stream."""
    account = Account(account_id)
    for event in events:
        account = evolve(account, event)
    return account


def register(
    account: Account,
    kind: str,
    contact: pb.EncryptedContact,
    registered_by: str,
    agency_id: str = "",
) -> list[Message]:
    if account.status is not Status.NEW:
        raise AccountRuleBroken("the account already exists")
    if kind not in KINDS:
        raise AccountRuleBroken(f"unknown account kind {kind!r}")
    if (kind == PARTNER) != bool(agency_id):
        raise AccountRuleBroken("a partner account, and only a partner account, names its agency")
    if not contact.email or not contact.display_name:
        raise AccountRuleBroken("an account needs a display name and an email address")
    registered = pb.AccountRegistered(
        account_id=account.account_id,
        kind=kind,
        contact=contact,
        registered_by=registered_by,
        agency_id=agency_id,
    )
    if kind not in STAFF_KINDS:
        return [registered]
    # A staff account acts in its kind only while it holds the role of that name.
    role = pb.RoleGranted(account_id=account.account_id, role=kind, granted_by=registered_by)
    return [registered, role]


def _require_active(account: Account) -> None:
    if account.status is Status.NEW:
        raise AccountRuleBroken("no such account")
    if account.status is Status.ERASED:
        raise AccountRuleBroken("the account has been erased")


def update_contact(
    account: Account, contact: pb.EncryptedContact, changed: Iterable[str] = ()
) -> list[Message]:
    """New contact details; `changed` names the details that differ from the old ones."""
    _require_active(account)
    return [
        pb.ContactUpdated(account_id=account.account_id, contact=contact, changed=sorted(changed))
    ]


def set_association_sharing(account: Account, agreed: bool) -> list[Message]:
    """A member's choice whether the Neighbourhood Watch association (their area coordinator's
    export) may have their contact details. Only members have group offices to be listed for;
    choosing what already holds records nothing."""
    _require_active(account)
    if account.kind != "member":
        raise AccountRuleBroken("only a member account shares its details with the association")
    if account.shares_with_association == agreed:
        return []
    return [pb.AssociationSharingChanged(account_id=account.account_id, agreed=agreed)]


def start_totp_enrolment(account: Account) -> list[Message]:
    _require_active(account)
    if account.totp is TotpState.ENROLLED:
        raise AccountRuleBroken("an authenticator app is already enrolled")
    return [pb.TotpEnrolmentStarted(account_id=account.account_id)]


def start_totp_replacement(account: Account) -> list[Message]:
    """A new authenticator in place of the enrolled one (lost or changed). The old one goes on
    working until the new one's first code confirms it, so an abandoned attempt locks no one out."""
    _require_active(account)
    if account.totp is not TotpState.ENROLLED:
        raise AccountRuleBroken("no authenticator app is enrolled to replace")
    return [pb.TotpEnrolmentStarted(account_id=account.account_id, replacing=True)]


def confirm_totp(account: Account) -> list[Message]:
    _require_active(account)
    if account.totp is TotpState.ENROLLED and account.replacing_totp:
        return [pb.TotpReplaced(account_id=account.account_id)]
    if account.totp is not TotpState.PENDING:
        raise AccountRuleBroken("no authenticator enrolment is waiting for confirmation")
    return [pb.TotpEnrolled(account_id=account.account_id)]


def renew_recovery_codes(account: Account, count: int) -> list[Message]:
    _require_active(account)
    if account.totp is not TotpState.ENROLLED:
        raise AccountRuleBroken("recovery codes come with an enrolled authenticator app")
    return [pb.RecoveryCodesRenewed(account_id=account.account_id, count=count)]


def change_password(account: Account, reason: str, reset_id: str = "") -> list[Message]:
    """A new password, set by the account itself ("changed") or through a reset link ("reset")."""
    _require_active(account)
    if account.status is not Status.ACTIVE:
        raise AccountRuleBroken("the account is disabled")
    return [pb.PasswordChanged(account_id=account.account_id, reason=reason, reset_id=reset_id)]


def request_password_reset(
    account: Account, reset_id: str, token: str, expires_at: int
) -> list[Message]:
    """Nothing for an account that cannot sign in anyway: the caller answers the same."""
    if not account.usable:
        return []
    return [
        pb.PasswordResetRequested(
            account_id=account.account_id, reset_id=reset_id, token=token, expires_at=expires_at
        )
    ]


def open_set_up_link(account: Account, reset_id: str, token: str, expires_at: int) -> list[Message]:
    """A new staff account's first password is chosen by its owner through a mailed link, so
    no administrator ever knows it or has to pass it on."""
    _require_active(account)
    if account.kind not in STAFF_KINDS:
        raise AccountRuleBroken("only staff accounts are set up by a link")
    return [
        pb.PasswordResetRequested(
            account_id=account.account_id,
            reset_id=reset_id,
            token=token,
            expires_at=expires_at,
            purpose=SET_UP,
        )
    ]


def acts_in_role(kind: str, roles: Iterable[str]) -> bool:
    """Whether an account may be issued tokens: members always, staff while holding their role."""
    return kind not in STAFF_KINDS or kind in roles


def grant_role(account: Account, role: str, granted_by: str) -> list[Message]:
    _require_active(account)
    if account.kind not in STAFF_KINDS or role != account.kind:
        # One account, one kind: someone who is also a resident or holds another office uses a
        # separate account (invariant 1), so the only grantable role is the staff kind itself.
        raise AccountRuleBroken(
            "a role can only be the staff account's own kind; use a separate account for another"
        )
    if role in account.roles:
        return []  # granting twice changes nothing, so it records nothing
    return [pb.RoleGranted(account_id=account.account_id, role=role, granted_by=granted_by)]


def revoke_role(account: Account, role: str, revoked_by: str) -> list[Message]:
    _require_active(account)
    if role not in account.roles:
        return []
    return [pb.RoleRevoked(account_id=account.account_id, role=role, revoked_by=revoked_by)]


def disable(account: Account, disabled_by: str) -> list[Message]:
    _require_active(account)
    if account.status is Status.DISABLED:
        return []
    return [pb.AccountDisabled(account_id=account.account_id, disabled_by=disabled_by)]


def erase(
    account: Account, erased_by: str, groups_led_alone: Sequence[LedGroup] = ()
) -> list[Message]:
    """Erase the account. Its own request is refused while it leads a group alone; a tenant
    admin's erasure (a legal demand, a death) goes ahead and membership flags the group."""
    _require_active(account)
    if erased_by == account.account_id and groups_led_alone:
        raise LastLeader(groups_led_alone)
    return [pb.AccountErased(account_id=account.account_id, erased_by=erased_by)]
