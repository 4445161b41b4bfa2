"""Each report's data key, stored only wrapped by the report KEK (a KMS can stand in), and its
photo as sealed segments. Made in the filing's own transaction: a report that was refused
leaves no key and no photo behind."""

from __future__ import annotations

from typing import Any

import psycopg

from snp_platform.keywrap import KeyWrapper, new_data_key
from snp_platform.sealing import ContentCipher, SegmentWriter, new_salt

Conn = psycopg.Connection[Any]
SEGMENT_BYTES = 256 * 1024
_PHOTO_INFO = b"snp-engagement/report-photo/v1"


class ReportKeyMissing(LookupError):
    """The report has no key (it was never filed here, or its contents were shredded)."""


def text_aad(tenant: str, report_id: str, field: str) -> bytes:
    """Binds a sealed text to its tenant, report and field (a note: its step)."""
    return f"snp-engagement/report/{tenant}/{report_id}/{field}".encode()


def _photo_cipher(key: bytes, salt: bytes, tenant: str, report_id: str) -> ContentCipher:
    return ContentCipher(key, salt, text_aad(tenant, report_id, "photo"), info=_PHOTO_INFO)


class ReportKeys:
    def __init__(self, wrapper: KeyWrapper) -> None:
        self._wrapper = wrapper

    def create(self, conn: Conn, tenant: str, report_id: str) -> bytes:
        """A new report's data key, stored wrapped; the key back."""
        key = new_data_key()
        conn.execute(
            "INSERT INTO report_keys (report_id, tenant, wrapped_key, kek_id)"
            " VALUES (%s, %s, %s, %s)",
            (report_id, tenant, self._wrapper.wrap(key), self._wrapper.active_id),
        )
        return key

    def key(self, conn: Conn, report_id: str) -> bytes:
        row = conn.execute(
            "SELECT wrapped_key FROM report_keys WHERE report_id = %s", (report_id,)
        ).fetchone()
        if row is None:
            raise ReportKeyMissing(report_id)
        return self._wrapper.unwrap(bytes(row[0]))


def save_photo(conn: Conn, key: bytes, tenant: str, report_id: str, content: bytes) -> None:
    salt = new_salt()
    writer = SegmentWriter(_photo_cipher(key, salt, tenant, report_id), SEGMENT_BYTES)
    sealed = writer.write(content) + writer.finish()
    conn.execute("UPDATE report_keys SET photo_salt = %s WHERE report_id = %s", (salt, report_id))
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO report_photos (report_id, index, ciphertext) VALUES (%s, %s, %s)",
            [(report_id, index, ciphertext) for index, ciphertext in sealed],
        )


def load_photo(conn: Conn, key: bytes, tenant: str, report_id: str) -> bytes | None:
    """The photo's bytes, every segment authenticated (a photo is small: read whole)."""
    salt = conn.execute(
        "SELECT photo_salt FROM report_keys WHERE report_id = %s", (report_id,)
    ).fetchone()
    if salt is None or salt[0] is None:
        return None
    cipher = _photo_cipher(key, bytes(salt[0]), tenant, report_id)
    rows = conn.execute(
        "SELECT index, ciphertext FROM report_photos WHERE report_id = %s ORDER BY index",
        (report_id,),
    ).fetchall()
    last = len(rows) - 1
    return b"".join(
        cipher.open(index, bytes(ciphertext), last=index == last) for index, ciphertext in rows
    )
