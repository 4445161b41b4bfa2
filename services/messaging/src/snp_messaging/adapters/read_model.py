"""Messaging's own events kept as rows, in the transaction that records them (TypedStreams'
read model): a PreferencesChanged is the member's `preferences`, a
ContactDeliveryProblemRecorded the mark in `contact_problems` (a ContactDeliveryProblemCleared
takes it away), a ProviderConsentChanged the member's row in `provider_consent`, a
ProviderDefaultsChanged the force's rows in `provider_defaults`, a DigestScheduleChanged the
force's `digest_schedules` row; an AlertApprovalRuleChanged
the force's `alert_rules` row, and a held alert's events its `held_alerts` row
(adapters/held_alerts.py); a poll, its answers and the ratings their rows in
adapters/feedback.py; replies, their threads and answers theirs in adapters/replies.py.

A MessageSent's `messages` row is written by the send itself (adapters/messages.py), before
its inbox entries and deliveries, which refer to it; the event is appended last, so the event
store's append lock is not held while a large audience's rows are written."""

from __future__ import annotations

from typing import Any

import psycopg

from snp.messaging.v1 import events_pb2 as pb
from snp.v1.envelope_pb2 import EventEnvelope
from snp_messaging.adapters import feedback, held_alerts, replies
from snp_messaging.domain.events import event_type

Conn = psycopg.Connection[Any]

_PREFERENCES = event_type(pb.PreferencesChanged())
_PROBLEM = event_type(pb.ContactDeliveryProblemRecorded())
_CLEARED = event_type(pb.ContactDeliveryProblemCleared())
_CONSENT = event_type(pb.ProviderConsentChanged())
_DEFAULTS = event_type(pb.ProviderDefaultsChanged())
_RULE = event_type(pb.AlertApprovalRuleChanged())
_SCHEDULE = event_type(pb.DigestScheduleChanged())
_HELD = event_type(pb.AlertHeld())
_EDITED = event_type(pb.AlertEdited())
_APPROVED = event_type(pb.AlertApproved())
_REJECTED = event_type(pb.AlertRejected())
_WITHDRAWN = event_type(pb.AlertWithdrawn())


class MessagingReadModel:
    """Applied by MessagingStreams to each event it records (MessageSent and AttachmentStored
    have no rows here: the send and the upload write theirs, the upload's with its content)."""

    def apply(self, conn: Conn, envelope: EventEnvelope) -> None:
        if envelope.event_type == _PREFERENCES:
            changed = pb.PreferencesChanged.FromString(envelope.payload)
            _preferences(conn, envelope.tenant, changed, envelope.stream_version)
        elif envelope.event_type == _PROBLEM:
            problem = pb.ContactDeliveryProblemRecorded.FromString(envelope.payload)
            _contact_problem(conn, envelope.tenant, problem)
        elif envelope.event_type == _CLEARED:
            cleared = pb.ContactDeliveryProblemCleared.FromString(envelope.payload)
            conn.execute(
                "DELETE FROM contact_problems WHERE account_id = %s AND channel = %s",
                (cleared.account_id, cleared.channel),
            )
        elif envelope.event_type == _CONSENT:
            consent = pb.ProviderConsentChanged.FromString(envelope.payload)
            conn.execute(
                'INSERT INTO provider_consent (tenant, account_id, provider_id, "on")'
                " VALUES (%s, %s, %s, %s) ON CONFLICT (account_id, provider_id)"
                ' DO UPDATE SET "on" = EXCLUDED."on"',
                (envelope.tenant, consent.account_id, consent.provider.id, consent.on),
            )
        elif envelope.event_type == _SCHEDULE:
            schedule = pb.DigestScheduleChanged.FromString(envelope.payload)
            conn.execute(
                "INSERT INTO digest_schedules (tenant, at_time, weekday) VALUES (%s, %s, %s)"
                " ON CONFLICT (tenant) DO UPDATE SET at_time = EXCLUDED.at_time,"
                " weekday = EXCLUDED.weekday",
                (envelope.tenant, schedule.time, schedule.weekday),
            )
        elif envelope.event_type == _DEFAULTS:
            defaults = pb.ProviderDefaultsChanged.FromString(envelope.payload)
            _provider_defaults(conn, envelope.tenant, defaults)
        elif envelope.event_type in feedback.FEEDBACK_EVENTS:
            feedback.apply(conn, envelope)
        elif envelope.event_type in replies.REPLY_EVENTS:
            replies.apply(conn, envelope)
        else:
            _alert_governance(conn, envelope)


def _alert_governance(conn: Conn, envelope: EventEnvelope) -> None:
    kind, payload = envelope.event_type, envelope.payload
    if kind == _RULE:
        held_alerts.apply_rule(
            conn, envelope.tenant, pb.AlertApprovalRuleChanged.FromString(payload)
        )
    elif kind == _HELD:
        held_alerts.apply_held(conn, envelope.tenant, pb.AlertHeld.FromString(payload))
    elif kind == _EDITED:
        held_alerts.apply_edited(conn, pb.AlertEdited.FromString(payload))
    elif kind == _APPROVED:
        approved = pb.AlertApproved.FromString(payload)
        held_alerts.apply_decided(
            conn, approved.alert_id, "approved", approved.approved_by, approved.reason
        )
    elif kind == _REJECTED:
        rejected = pb.AlertRejected.FromString(payload)
        held_alerts.apply_decided(
            conn, rejected.alert_id, "rejected", rejected.rejected_by, rejected.reason
        )
    elif kind == _WITHDRAWN:
        withdrawn = pb.AlertWithdrawn.FromString(payload)
        held_alerts.apply_decided(
            conn, withdrawn.alert_id, "withdrawn", withdrawn.withdrawn_by, withdrawn.reason
        )


def _preferences(conn: Conn, tenant: str, changed: pb.PreferencesChanged, version: int) -> None:
    conn.execute(
        "INSERT INTO preferences (tenant, account_id, channels, areas, minimum_priority,"
        " digest, digest_below, quiet_start, quiet_end, version)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (account_id) DO UPDATE SET"
        " channels = EXCLUDED.channels, areas = EXCLUDED.areas,"
        " minimum_priority = EXCLUDED.minimum_priority, digest = EXCLUDED.digest,"
        " digest_below = EXCLUDED.digest_below, quiet_start = EXCLUDED.quiet_start,"
        " quiet_end = EXCLUDED.quiet_end, version = EXCLUDED.version",
        (
            tenant,
            changed.account_id,
            list(changed.channels),
            list(changed.areas),
            changed.minimum_priority,
            changed.digest or "none",  # events from before digests: none
            changed.digest_below or "normal",
            changed.quiet_start,
            changed.quiet_end,
            version,
        ),
    )


def _provider_defaults(conn: Conn, tenant: str, defaults: pb.ProviderDefaultsChanged) -> None:
    decided = [(p, True) for p in defaults.on] + [(p, False) for p in defaults.off]
    conn.execute(
        'INSERT INTO provider_defaults (tenant, provider_id, "on")'
        " SELECT %s, p, o FROM unnest(%s::text[], %s::boolean[]) AS d(p, o)"
        ' ON CONFLICT (tenant, provider_id) DO UPDATE SET "on" = EXCLUDED."on"',
        (tenant, [p for p, _ in decided], [o for _, o in decided]),
    )


def _contact_problem(conn: Conn, tenant: str, problem: pb.ContactDeliveryProblemRecorded) -> None:
    conn.execute(
        "INSERT INTO contact_problems (tenant, account_id, channel, outcome, reason,"
        " delivery_id) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (account_id, channel)"
        " DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason,"
        " delivery_id = EXCLUDED.delivery_id, recorded_at = now()",
        (
            tenant,
            problem.account_id,
            problem.channel,
            problem.outcome,
            problem.reason,
            problem.delivery_id,
        ),
    )
