"""Each group's data key, stored only wrapped by a KEK (the `KeyWrapper`, which a KMS can be).

Keys are created on a group's first document, in a short transaction of their own (appending
takes the event store's lock, which must not be held for the length of an upload). A KEK
rotation re-wraps every group key under the active KEK; no document is re-encrypted.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from snp.documents.v1 import events_pb2 as pb
from snp_documents.adapters.event_streams import DocumentStreams, group_key_stream
from snp_platform.eventstore import ANY_VERSION, NO_STREAM, EventMetadata, EventStore
from snp_platform.keywrap import KeyWrapper, new_data_key, wrapped_by


class GroupKeyMissing(Exception):
    """The group has no data key (so it has no documents either)."""


class GroupKeys:
    def __init__(self, pool: ConnectionPool[Any], wrapper: KeyWrapper) -> None:
        self._pool, self._wrapper = pool, wrapper
        self._streams = DocumentStreams(EventStore(pool))

    @property
    def active_kek(self) -> str:
        return self._wrapper.active_id

    def key(self, conn: psycopg.Connection[Any], group_id: str) -> bytes:
        """The group's data key, unwrapped (KeyUnavailable/UnwrapFailed when the KEK is wrong)."""
        row = conn.execute(
            "SELECT wrapped_key FROM group_keys WHERE group_id = %s", (group_id,)
        ).fetchone()
        if row is None:
            raise GroupKeyMissing(group_id)
        return self._wrapper.unwrap(bytes(row[0]))

    def ensure(self, tenant: str, group_id: str, metadata: EventMetadata) -> bytes:
        """The group's data key, made (and recorded as an event) on first use."""
        with self._pool.connection() as conn:
            try:
                return self.key(conn, group_id)
            except GroupKeyMissing:
                pass
            data_key = new_data_key()
            with conn.transaction():
                made = conn.execute(
                    "INSERT INTO group_keys (group_id, tenant, wrapped_key, kek_id)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (group_id, tenant, self._wrapper.wrap(data_key), self._wrapper.active_id),
                ).rowcount
                if made:
                    event = pb.GroupKeyCreated(group_id=group_id, kek_id=self._wrapper.active_id)
                    self._streams.append(
                        group_key_stream(tenant, group_id), [event], NO_STREAM, metadata, conn
                    )
            return data_key if made else self.key(conn, group_id)

    def rewrap_all(self, metadata: EventMetadata) -> int:
        """Re-wrap every group key not under the active KEK; return how many were re-wrapped."""
        active = self._wrapper.active_id
        rewrapped = 0
        with self._pool.connection() as conn:
            stale = conn.execute(
                "SELECT group_id FROM group_keys WHERE kek_id <> %s ORDER BY group_id", (active,)
            ).fetchall()
            for (group_id,) in stale:
                with conn.transaction():
                    row = conn.execute(
                        "SELECT tenant, wrapped_key FROM group_keys WHERE group_id = %s FOR UPDATE",
                        (group_id,),
                    ).fetchone()
                    if row is None:
                        continue
                    tenant, blob = row[0], bytes(row[1])
                    previous = wrapped_by(blob)
                    if previous == active:
                        continue
                    conn.execute(
                        "UPDATE group_keys SET wrapped_key = %s, kek_id = %s WHERE group_id = %s",
                        (self._wrapper.wrap(self._wrapper.unwrap(blob)), active, group_id),
                    )
                    event = pb.GroupKeyRewrapped(
                        group_id=group_id, from_kek_id=previous, to_kek_id=active
                    )
                    self._streams.append(
                        group_key_stream(tenant, group_id), [event], ANY_VERSION, metadata, conn
                    )
                    rewrapped += 1
        return rewrapped
