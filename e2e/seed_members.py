"""Many member accounts at once, through identity's own code, for tests and benchmarks.

Registering through the REST API costs an argon2id hash and a password-strength check per
account; thousands of recipients would take many minutes. This writes the same events, keys
and rows identity's `register_account` writes (contact encrypted under each account's own key),
500 accounts per transaction, with one cheap password hash shared by all of them.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg_pool import ConnectionPool

from snp_identity.adapters import records
from snp_identity.adapters.crypto import KeyEncryptionKeys, blind_index, new_data_key
from snp_identity.adapters.event_streams import IdentityStreams, account_stream
from snp_identity.adapters.passwords import PasswordHasher
from snp_identity.domain import accounts
from snp_identity.domain.contacts import Contact, normalise_email
from snp_identity.service_layer.accounts import encrypt_contact
from snp_identity.service_layer.context import IdentityContext
from snp_platform.eventstore import EventMetadata, EventStore

PASSWORD = "correct horse battery staple 42"


@dataclass(frozen=True)
class Seeded:
    account_id: str
    email: str
    display_name: str


def identity_context(identity_env: Mapping[str, str], pool: ConnectionPool[Any]) -> IdentityContext:
    return IdentityContext(
        pool=pool,
        keks=KeyEncryptionKeys.from_config(identity_env["SNP_KEKS"]),
        index_key=base64.urlsafe_b64decode(identity_env["SNP_BLIND_INDEX_KEY"] + "=="),
        issuer="snp-identity",
        hasher=PasswordHasher(memory_kib=64, iterations=1),
    )


def seed_members(
    identity_env: Mapping[str, str], tenant: str, contacts: Sequence[Contact], chunk: int = 500
) -> list[Seeded]:
    """Member accounts for `contacts` in `tenant`; each can sign in with PASSWORD."""
    made: list[Seeded] = []
    with ConnectionPool(identity_env["DATABASE_URL"], min_size=1, max_size=2) as pool:
        ctx = identity_context(identity_env, pool)
        streams = IdentityStreams(EventStore(pool))
        password_hash = ctx.hasher.hash(PASSWORD)
        metadata = EventMetadata(actor="seed")
        for start in range(0, len(contacts), chunk):
            with pool.connection() as conn, conn.transaction():
                for contact in contacts[start : start + chunk]:
                    contact = contact.normalised()
                    account_id = str(uuid.uuid4())
                    data_key = new_data_key()
                    encrypted = encrypt_contact(ctx, data_key, tenant, account_id, contact)
                    events = accounts.register(
                        accounts.Account(account_id), "member", encrypted, "self"
                    )
                    streams.append(account_stream(tenant, account_id), events, 0, metadata, conn)
                    records.save_data_key(conn, account_id, ctx.keks.wrap(data_key))
                    records.save_password(conn, account_id, password_hash)
                    account = accounts.fold(account_id, events)
                    index = blind_index(ctx.index_key, normalise_email(contact.email))
                    records.save_account(
                        conn,
                        records.AccountRow(
                            account_id,
                            tenant,
                            account.kind,
                            account.status.value,
                            index,
                            account.totp.value,
                            sorted(account.roles),
                            account.version,
                        ),
                    )
                    records.save_contact(conn, account_id, encrypted.SerializeToString())
                    made.append(Seeded(account_id, contact.email, contact.display_name))
    return made
