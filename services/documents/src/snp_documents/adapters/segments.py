"""SQL for `document_segments`: a document's contents, only ever as sealed segments."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

Conn = psycopg.Connection[Any]


def save_segments(conn: Conn, document_id: str, sealed: list[tuple[int, bytes]]) -> None:
    """Store sealed segments, each as (index, ciphertext)."""
    if not sealed:
        return
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO document_segments (document_id, index, ciphertext) VALUES (%s, %s, %s)",
            [(document_id, index, ciphertext) for index, ciphertext in sealed],
        )


def first_segment(conn: Conn, document_id: str) -> bytes | None:
    row = conn.execute(
        "SELECT ciphertext FROM document_segments WHERE document_id = %s AND index = 0",
        (document_id,),
    ).fetchone()
    return None if row is None else bytes(row[0])


@contextmanager
def later_segments(conn: Conn, document_id: str) -> Iterator[Iterator[tuple[int, bytes]]]:
    """Segments 1 onwards in order, as (index, ciphertext), from a server-side cursor that
    brings them a few at a time; `conn` must be inside a transaction for as long as it reads."""
    with conn.cursor(name=f"segments_{document_id.replace('-', '')}") as cur:
        cur.itersize = 4
        cur.execute(
            "SELECT index, ciphertext FROM document_segments WHERE document_id = %s"
            " AND index > 0 ORDER BY index",
            (document_id,),
        )
        yield ((index, bytes(ciphertext)) for index, ciphertext in cur)


def delete_segments(conn: Conn, document_id: str) -> None:
    conn.execute("DELETE FROM document_segments WHERE document_id = %s", (document_id,))
