"""Messaging's own tables beside the event store.

`messages`, `preferences`, `contact_problems`, `provider_consent`, `provider_defaults`,
`alert_rules`, `held_alerts`, `digest_schedules`, the polls and ratings
(adapters/feedback.py) and the reply threads (adapters/replies.py) are projections of
messaging's own events; `deliveries`, `inbox` and `digest_items` are the fan-out's working state;
`groups`, `group_roles`, `mailing_lists`, `forces`, `agencies`, `staff_accounts` and
`erased_accounts` are projections of other
services' events. No contact details are stored here.
"""

from __future__ import annotations

import psycopg

from snp_messaging.adapters.events_registrations import EVENTS_SCHEMA
from snp_messaging.adapters.feedback import FEEDBACK_SCHEMA
from snp_messaging.adapters.inbound_mails import INBOUND_MAILS_SCHEMA
from snp_messaging.adapters.replies import REPLIES_SCHEMA
from snp_platform.group_roles import GROUP_ROLES_SCHEMA

MESSAGING_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    message_id    uuid PRIMARY KEY,
    tenant        text NOT NULL,
    sender_id     text NOT NULL,
    sender_role   text NOT NULL,
    sender_force  text NOT NULL,
    audience_type text NOT NULL,
    audience_id   text NOT NULL,
    group_id      text NOT NULL DEFAULT '',
    subject       text NOT NULL,
    body          text NOT NULL,
    message_type  text NOT NULL,
    priority      text NOT NULL,
    link          text NOT NULL DEFAULT '',
    recipients    integer NOT NULL,
    attachments   jsonb NOT NULL DEFAULT '[]',
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Added with the force's alerts list: what kind of account sent it (police alerts are the
-- messages police and tenant admins sent). Rows from before it read '' and are not listed.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS sender_kind text NOT NULL DEFAULT '';
-- Added with consent per agency: a partner sender's agency, and whom an alert is from (its
-- provider's id; its name is read from `agencies` or the force). Rows from before read ''.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS sender_agency text NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN IF NOT EXISTS provider_id text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS messages_sender ON messages (tenant, sender_id, created_at);
CREATE INDEX IF NOT EXISTS messages_by_kind ON messages (tenant, sender_kind, created_at);
CREATE INDEX IF NOT EXISTS messages_group ON messages (tenant, group_id, created_at);

CREATE TABLE IF NOT EXISTS inbox (
    tenant     text NOT NULL,
    account_id text NOT NULL,
    message_id uuid NOT NULL REFERENCES messages (message_id),
    PRIMARY KEY (account_id, message_id)
);
-- Why an alert reached the member (domain/providers.py Basis: chosen | default), '' otherwise.
ALTER TABLE inbox ADD COLUMN IF NOT EXISTS reason text NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS deliveries (
    delivery_id     uuid PRIMARY KEY,
    message_id      uuid NOT NULL REFERENCES messages (message_id),
    tenant          text NOT NULL,
    account_id      text NOT NULL,
    channel         text NOT NULL,
    status          text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    last_error      text NOT NULL DEFAULT '',
    provider_ref    text NOT NULL DEFAULT '',
    UNIQUE (message_id, account_id, channel)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS deliveries_queued ON deliveries (updated_at) WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS deliveries_message ON deliveries (message_id, status);
-- A delivery held for the end of the member's quiet hours is `held` until `next_attempt_at`.
CREATE INDEX IF NOT EXISTS deliveries_held ON deliveries (next_attempt_at) WHERE status = 'held';

-- Added with the fallback channel: a text message sent because the email delivery named here
-- bounced or failed for good (domain/fallback.py); NULL for every other delivery.
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS fallback_of uuid;

CREATE TABLE IF NOT EXISTS attachments (
    attachment_id uuid PRIMARY KEY,
    tenant        text NOT NULL,
    uploaded_by   text NOT NULL,
    message_id    uuid,
    filename      text NOT NULL,
    content_type  text NOT NULL,
    size          bigint NOT NULL,
    sha256        text NOT NULL,
    content       bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Added when attachments were sealed at rest: `content` is then the sealed segments, under a
-- data key of the attachment's own, wrapped by the attachment KEK. Rows from before (no key)
-- are sealed when the api starts (message_attachments.seal_plaintext_rows).
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS wrapped_key bytea;
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS salt bytea;

CREATE TABLE IF NOT EXISTS preferences (
    tenant           text NOT NULL,
    account_id       text PRIMARY KEY,
    channels         text[] NOT NULL,
    areas            text[] NOT NULL,
    minimum_priority text NOT NULL,
    version          bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS preferences_areas ON preferences USING gin (areas);
-- Added with digests and quiet hours (rows from before: no digest, no quiet hours).
ALTER TABLE preferences ADD COLUMN IF NOT EXISTS digest text NOT NULL DEFAULT 'none';
ALTER TABLE preferences ADD COLUMN IF NOT EXISTS digest_below text NOT NULL DEFAULT 'normal';
ALTER TABLE preferences ADD COLUMN IF NOT EXISTS quiet_start text NOT NULL DEFAULT '';
ALTER TABLE preferences ADD COLUMN IF NOT EXISTS quiet_end text NOT NULL DEFAULT '';

-- From messaging's own events: the force's digest time (none: 07:00, weekly on Monday).
CREATE TABLE IF NOT EXISTS digest_schedules (
    tenant  text PRIMARY KEY,
    at_time text NOT NULL,
    weekday text NOT NULL
);
-- The fan-out's working state for digests: each message held for a member's digest, and the
-- digest (a message of its own) that listed it, set in the transaction recording the digest.
CREATE TABLE IF NOT EXISTS digest_items (
    tenant     text NOT NULL,
    account_id text NOT NULL,
    message_id uuid NOT NULL REFERENCES messages (message_id),
    held_at    timestamptz NOT NULL DEFAULT now(),
    digest_id  uuid,
    PRIMARY KEY (account_id, message_id)
);
CREATE INDEX IF NOT EXISTS digest_items_waiting ON digest_items (account_id, held_at)
    WHERE digest_id IS NULL;

CREATE TABLE IF NOT EXISTS contact_problems (
    tenant      text NOT NULL,
    account_id  text NOT NULL,
    channel     text NOT NULL,
    outcome     text NOT NULL,
    reason      text NOT NULL,
    delivery_id uuid NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, channel)
);

-- From messaging's own events: each member's choice per information provider, and the
-- force's defaults for members who never chose (a provider absent: its kind's default).
CREATE TABLE IF NOT EXISTS provider_consent (
    tenant      text NOT NULL,
    account_id  text NOT NULL,
    provider_id text NOT NULL,
    "on"        boolean NOT NULL,
    PRIMARY KEY (account_id, provider_id)
);
CREATE TABLE IF NOT EXISTS provider_defaults (
    tenant      text NOT NULL,
    provider_id text NOT NULL,
    "on"        boolean NOT NULL,
    PRIMARY KEY (tenant, provider_id)
);

-- From messaging's own events (governance of police alerts): whether the force's alerts to
-- the whole force and urgent ones wait for a second officer, and each held alert as it stands.
CREATE TABLE IF NOT EXISTS alert_rules (
    tenant            text PRIMARY KEY,
    approval_required boolean NOT NULL
);
-- Added when the rule was split: NULL in a row from before reads as `approval_required`.
ALTER TABLE alert_rules ADD COLUMN IF NOT EXISTS force_wide boolean;
ALTER TABLE alert_rules ADD COLUMN IF NOT EXISTS urgent boolean;
CREATE TABLE IF NOT EXISTS held_alerts (
    alert_id       uuid PRIMARY KEY,
    tenant         text NOT NULL,
    sender_id      text NOT NULL,
    sender_kind    text NOT NULL,
    sender_role    text NOT NULL,
    sender_force   text NOT NULL,
    sender_agency  text NOT NULL,
    audience_type  text NOT NULL,
    audience_id    text NOT NULL,
    group_id       text NOT NULL,
    subject        text NOT NULL,
    body           text NOT NULL,
    message_type   text NOT NULL,
    priority       text NOT NULL,
    provider_id    text NOT NULL,
    provider_name  text NOT NULL,
    provider_kind  text NOT NULL,
    attachment_ids text[] NOT NULL,
    status         text NOT NULL,  -- waiting | approved | rejected | withdrawn
    decided_by     text NOT NULL DEFAULT '',
    reason         text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_at     timestamptz
);
CREATE INDEX IF NOT EXISTS held_alerts_waiting ON held_alerts (tenant, created_at)
    WHERE status = 'waiting';
-- A correction or withdrawal of a sent message names the original (NULL for any other).
ALTER TABLE messages ADD COLUMN IF NOT EXISTS follow_up_of uuid;
ALTER TABLE messages ADD COLUMN IF NOT EXISTS follow_up_kind text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS messages_follow_ups ON messages (follow_up_of)
    WHERE follow_up_of IS NOT NULL;

-- From identity's events: the force's partner agencies, its information providers.
CREATE TABLE IF NOT EXISTS agencies (
    tenant    text NOT NULL,
    agency_id text PRIMARY KEY,
    name      text NOT NULL,
    kind      text NOT NULL,
    retired   boolean NOT NULL DEFAULT false
);

-- From documents' events: each mailing list's group, and its members (MailingListsProjection).
CREATE TABLE IF NOT EXISTS mailing_lists (
    list_id  text PRIMARY KEY,
    tenant   text NOT NULL,
    group_id text NOT NULL
);
CREATE TABLE IF NOT EXISTS mailing_list_members (
    tenant     text NOT NULL,
    list_id    text NOT NULL,
    account_id text NOT NULL,
    PRIMARY KEY (list_id, account_id)
);

-- From identity's events: each force's display name, shown with every sender.
CREATE TABLE IF NOT EXISTS forces (
    tenant       text PRIMARY KEY,
    display_name text NOT NULL
);

-- From identity's events: the accounts that are not residents (police, partners, admins ...).
-- Ward and force alerts are for residents, so these are left out of them even when they chose
-- areas; an account registered before this table existed counts as a resident until the
-- recipients projection is rebuilt (docs/messaging.md).
CREATE TABLE IF NOT EXISTS staff_accounts (
    account_id text PRIMARY KEY,
    tenant     text NOT NULL,
    kind       text NOT NULL
);

-- From identity's AccountErased: accounts that no longer exist. A follow-up (a correction or
-- withdrawal) records their copies as `skipped` rather than failing on a missing address;
-- an account erased before this table existed is in it once the recipients projection is
-- rebuilt (docs/messaging.md).
CREATE TABLE IF NOT EXISTS erased_accounts (
    account_id text PRIMARY KEY,
    tenant     text NOT NULL
);
"""


def create_messaging_schema(conninfo: str) -> None:
    """Create messaging's tables if missing (idempotent, safe to race)."""
    with psycopg.connect(conninfo) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (0x4D5347,))  # "MSG"
        conn.execute(MESSAGING_SCHEMA)
        # From membership's events: groups (with their ward) and who holds which role in each.
        conn.execute(GROUP_ROLES_SCHEMA)
        conn.execute(EVENTS_SCHEMA)  # from engagement's events: events and registrations
        conn.execute(FEEDBACK_SCHEMA)  # polls, their answers and ratings (adapters/feedback.py)
        conn.execute(REPLIES_SCHEMA)  # reply threads and their entries (adapters/replies.py)
        conn.execute(INBOUND_MAILS_SCHEMA)  # replies read from mail (adapters/inbound_mails.py)
