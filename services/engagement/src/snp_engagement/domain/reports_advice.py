"""What a resident reads before they start a report: the seed's "useful information", plainly."""

from __future__ import annotations

from typing import Any

BEFORE_YOU_START: dict[str, Any] = {
    "title": "Before you start",
    "summary": (
        "Tell your Safer Neighbourhoods team about something that is not an emergency. "
        "The team reads reports in working hours: this is not the way to get help now."
    ),
    "numbers": [
        {
            "when": "In an emergency: a crime is happening now, or someone is in danger",
            "call": "999",
        },
        {"when": "To report a crime or get police advice when it is not urgent", "call": "101"},
        {
            "when": (
                "To stay completely anonymous: Crimestoppers, an independent charity, never "
                "asks your name and cannot trace your call"
            ),
            "call": "0800 555 111",
        },
    ],
    "anonymous": (
        "You can also report here without giving your name. You get a reference and a secret "
        "to follow your report with; nothing links the report to your account, so keep them "
        "safe: nobody can look them up for you."
    ),
    "what_happens_next": [
        "received: your ward's police team has your report",
        "passed to an agency: the team asked a partner (the council's ASB team, say) to act",
        "action taken: the police or that agency did something about it",
        "closed: nothing more will be done; the last note says why",
    ],
}
