"""A reply form's fields as the body messaging takes, checked first so the page can say what
is wrong without asking (messaging checks again and decides)."""

from __future__ import annotations

from typing import Any

MAX_TEXT = 5000


def share_of(email: bool, phone: bool) -> str:
    if email and phone:
        return "both"
    return "email" if email else "phone" if phone else "none"


def reply_body(fields: dict[str, str]) -> tuple[dict[str, Any], str]:
    """(the reply's JSON body, '') or ({}, the error to show beside the text)."""
    text = fields.get("text", "").strip()
    share = share_of(fields.get("share_email") == "yes", fields.get("share_phone") == "yes")
    anonymous = fields.get("anonymous") == "yes"
    if not text:
        return {}, "Enter your reply"
    if len(text) > MAX_TEXT:
        return {}, f"Your reply must be {MAX_TEXT:,} characters or fewer"
    if anonymous and share != "none":
        return {}, "An anonymous reply cannot share your email or phone: untick one"
    return {"text": text, "share_contact": share, "anonymous": anonymous}, ""
