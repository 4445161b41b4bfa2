"""A member's agreement to share their contact details with the Neighbourhood Watch
association: an event when it changes, nothing when it does not, members only."""

from __future__ import annotations

import pytest

from snp.identity.v1 import events_pb2 as pb
from snp_identity.domain import accounts
from snp_identity.domain.accounts import AccountRuleBroken


def _account(kind: str) -> accounts.Account:
    contact = pb.EncryptedContact(display_name=b"n", email=b"e")
    registered = pb.AccountRegistered(account_id="a1", kind=kind, contact=contact)
    return accounts.fold("a1", [registered])


def test_agreeing_and_withdrawing_are_each_one_event() -> None:
    member = _account("member")
    assert not member.shares_with_association
    agreed = accounts.set_association_sharing(member, True)
    assert agreed == [pb.AssociationSharingChanged(account_id="a1", agreed=True)]
    member = accounts.fold("a1", [pb.AccountRegistered(account_id="a1", kind="member"), *agreed])
    assert member.shares_with_association
    assert accounts.set_association_sharing(member, True) == []
    withdrawn = accounts.set_association_sharing(member, False)
    assert withdrawn == [pb.AssociationSharingChanged(account_id="a1", agreed=False)]
    assert not accounts.evolve(member, withdrawn[0]).shares_with_association


def test_only_a_members_account_shares_with_the_association() -> None:
    for kind in ("police", "area_coordinator", "tenant_admin"):
        with pytest.raises(AccountRuleBroken):
            accounts.set_association_sharing(_account(kind), True)
    erased = accounts.evolve(_account("member"), pb.AccountErased(account_id="a1"))
    with pytest.raises(AccountRuleBroken):
        accounts.set_association_sharing(erased, True)
