"""How long a force keeps a closed report's contents: its rule, pure."""

from __future__ import annotations

from snp.engagement.v1 import events_pb2 as pb
from snp_engagement.domain.rules import InvalidInput

# A closed report is kept at least a week (the team may still need it for the next ward panel
# meeting) and at most ten years.
MIN_DAYS, MAX_DAYS = 7, 3650
SHRED_REASON = "retention"


def set_retention(days: int, set_by: str) -> list[pb.ReportRetentionSet]:
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(
            f"keep closed reports between {MIN_DAYS} and {MAX_DAYS} days after they close"
        )
    return [pb.ReportRetentionSet(days_after_closing=days, set_by=set_by)]


def shred(report_id: str, days: int) -> list[pb.ReportShredded]:
    return [pb.ReportShredded(report_id=report_id, reason=SHRED_REASON, days_after_closing=days)]
