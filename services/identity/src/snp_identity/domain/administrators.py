"""A force always keeps an administrator: only its tenant admins create staff accounts, grant
roles and approve authenticator resets, and an operator adds a force's first administrator
only. A force left without one could not be run again without going around the platform."""

from __future__ import annotations

from snp_identity.domain.accounts import Account, AccountRuleBroken, Status

ADMINISTRATOR = "tenant_admin"


class LastAdministrator(AccountRuleBroken):
    """Revoking, disabling or erasing the force's last active administrator (HTTP 409)."""

    def __init__(self) -> None:
        super().__init__(
            "this is the force's last active administrator: make another administrator first"
        )


def acts_as_administrator(account: Account) -> bool:
    """Whether the account can administer its force now: active and holding the role."""
    return (
        account.kind == ADMINISTRATOR
        and account.status is Status.ACTIVE
        and ADMINISTRATOR in account.roles
    )


def removes_an_administrator(before: Account, after: Account) -> bool:
    return acts_as_administrator(before) and not acts_as_administrator(after)


def keep_an_administrator(before: Account, after: Account, other_administrators: int) -> None:
    """Refuse a change that would leave the force with no active administrator;
    `other_administrators` counts the force's active ones besides this account."""
    if removes_an_administrator(before, after) and other_administrators < 1:
        raise LastAdministrator()
