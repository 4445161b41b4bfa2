"""What a file is, from its bytes (puremagic's magic numbers), and the types the service keeps.

The client's declared content type is never trusted. A name's extension only breaks ties
between formats whose bytes start alike (the zip-based office formats), and even then the
package must show its own marker; anything not on the list, or not recognised, is refused.
"""

from __future__ import annotations

import codecs

import puremagic

HEAD_BYTES = 64 * 1024  # enough for every marker below

_OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx", b"word/"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx", b"xl/"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx", b"ppt/"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
# The content types kept, each with the extension a download name gets when it lacks one.
ALLOWED: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "text/plain": ".txt",
    "text/csv": ".csv",
    **{mime: ext for mime, (ext, _) in _OOXML.items()},
    **_ODF,
}
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}


def _odf_type(head: bytes) -> str | None:
    # An ODF package starts with a stored "mimetype" entry holding the type (ODF 1.2 §3.3).
    if head[:4] != b"PK\x03\x04" or head[30:38] != b"mimetype":
        return None
    declared = head[38 : 38 + 60].split(b"PK", 1)[0].decode("ascii", errors="ignore")
    return declared if declared in _ODF else None


def _ooxml_type(head: bytes, file_name: str) -> str | None:
    if head[:4] != b"PK\x03\x04" or b"[Content_Types].xml" not in head:
        return None
    name = file_name.lower()
    for mime, (ext, part) in _OOXML.items():
        if name.endswith(ext) and part in head:
            return mime
    return None


def _text_type(head: bytes, file_name: str, complete: bool) -> str | None:
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return None
    if any(c < " " and c not in _TEXT_CONTROLS for c in text) or "\x7f" in text:
        return None
    return "text/csv" if file_name.lower().endswith(".csv") else "text/plain"


def sniff(head: bytes, file_name: str, *, complete: bool) -> str | None:
    """The allowed content type of a file starting with `head`, or None to refuse it.

    `complete` says `head` is the whole file (a text may then end exactly at its end).
    """
    if not head:
        return None
    if head[:4] == b"PK\x03\x04":  # zip: only the office packages, recognised by their markers
        return _odf_type(head) or _ooxml_type(head, file_name)
    try:
        # Magic numbers only: a hint from the name could label random bytes.
        mime = puremagic.from_string(head, mime=True)
    except (puremagic.PureError, ValueError):
        mime = ""
    if mime in ALLOWED:
        return mime
    if mime:
        return None
    return _text_type(head, file_name, complete)
