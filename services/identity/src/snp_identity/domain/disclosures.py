"""Why a member's contact details were released, checked before the release and put into
words for the member afterwards ("Who has seen your contact details").

A purpose is a code with the references its words need. The directory refuses a release whose
purpose is missing or incomplete, so every release from now on can be told in words; releases
recorded before purposes had codes carry only a free-text note, shown as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

MESSAGE_DELIVERY = "message_delivery"
STAFF_LOOKUP = "staff_lookup"
# The member ticked "share my email / phone with the team" on a reply: released to messaging
# when the reply team reads the thread.
REPLY_SHARED = "reply_shared"
SHARED_WORDS = {
    "email": "your email",
    "phone": "your phone number",
    "both": "your email and phone number",
}
# An area coordinator's export of their area's watch groups: only the coordinators who agreed
# to share their details with the Neighbourhood Watch association are released.
ASSOCIATION_EXPORT = "association_export"

# The references each code must carry for its words to be true.
REQUIRED: dict[str, tuple[str, ...]] = {
    MESSAGE_DELIVERY: ("message_id", "subject", "sender_role"),
    STAFF_LOOKUP: (),
    REPLY_SHARED: ("message_id", "team", "shared"),
    ASSOCIATION_EXPORT: ("export_id",),
}
# Codes whose release needs the member's own agreement, checked account by account.
NEEDS_AGREEMENT = frozenset({ASSOCIATION_EXPORT})
STAFF_KINDS_SENDING = frozenset({"police", "tenant_admin"})
MAX_REFERENCE = 200  # characters per reference kept in the event


@dataclass(frozen=True)
class Purpose:
    code: str
    message_id: str = ""
    subject: str = ""
    sender_role: str = ""
    sender_kind: str = ""
    force: str = ""
    group_id: str = ""
    group_name: str = ""
    team: str = ""
    shared: str = ""
    export_id: str = ""

    def problems(self) -> list[str]:
        """What keeps this purpose from being told to the member (empty when it can be)."""
        if self.code not in REQUIRED:
            return [f"purpose code must be one of {', '.join(sorted(REQUIRED))}"]
        if self.code == REPLY_SHARED and self.shared and self.shared not in SHARED_WORDS:
            return [f"a {REPLY_SHARED} purpose shares one of {', '.join(sorted(SHARED_WORDS))}"]
        return [
            f"a {self.code} purpose needs {name}"
            for name in REQUIRED[self.code]
            if not str(getattr(self, name)).strip()
        ]

    def trimmed(self) -> Purpose:
        return Purpose(**{k: str(v).strip()[:MAX_REFERENCE] for k, v in vars(self).items()})

    def summary(self) -> str:
        """The one-line note kept in the event's free-text `purpose` (for older readers)."""
        if self.code == MESSAGE_DELIVERY:
            return f"message delivery: {self.message_id}"
        if self.code == STAFF_LOOKUP:
            return "staff lookup by exact email: account id and display name" + (
                f", to name the chair of {self.group_name}" if self.group_name else ""
            )
        if self.code == REPLY_SHARED:
            return f"shared in a reply to message {self.message_id}: {self.shared}"
        if self.code == ASSOCIATION_EXPORT:
            return f"association export: {self.export_id}"
        return self.code


def released_only_with_agreement(purpose: Purpose) -> bool:
    """Whether a release for this purpose may include only members who agreed to it."""
    return purpose.code in NEEDS_AGREEMENT


def in_words(purpose: Purpose, note: str, service: str, lookup_force: str) -> str:
    """The sentence the member reads. `lookup_force` is the force whose staff looked them up
    (the member's own: nothing crosses tenants); `note` is a release's free-text purpose."""
    if purpose.code == MESSAGE_DELIVERY:
        sent = f"sent you “{purpose.subject}”"
        if purpose.sender_kind in STAFF_KINDS_SENDING and purpose.force:
            return f"{sent} for a {purpose.sender_role} of {purpose.force}"
        return f"{sent} for the {purpose.sender_role}"
    if purpose.code == STAFF_LOOKUP:
        looked = f"the {lookup_force} police team looked you up by email"
        return (
            f"{looked} to name you chair of {purpose.group_name}" if purpose.group_name else looked
        )
    if purpose.code == REPLY_SHARED:
        shared = SHARED_WORDS.get(purpose.shared, "your contact details")
        return f"you shared {shared} with {purpose.team} in a reply"
    if purpose.code == ASSOCIATION_EXPORT:
        return (
            f"the Neighbourhood Watch area coordinator of {lookup_force} exported your contact "
            "details with your watch group's coordinators, as you agreed"
        )
    given = f"{service} was given your contact details"
    return f"{given} ({note})" if note else given
