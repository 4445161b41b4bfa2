"""A message's plain text as HTML: every character escaped, and each http(s) address in it a
link a reader can follow (a forwarded document's address, a council's page), as mail readers
do. Nothing else in the text becomes markup."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Up to the first space or angle bracket; a full stop, comma or bracket that ends a sentence
# is left outside the link.
ADDRESS = re.compile(r"https?://[^\s<>\"']+?(?=[.,;:!?)\]]*(?:\s|$))")


def linked(text: str) -> Markup:
    parts: list[str] = []
    last = 0
    for found in ADDRESS.finditer(text):
        parts.append(escape(text[last : found.start()]))
        address = escape(found.group(0))
        parts.append(
            Markup('<a class="govuk-link" href="{0}" rel="noopener noreferrer">{0}</a>').format(
                address
            )
        )
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
