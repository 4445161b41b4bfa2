"""An area coordinator's area: the wards they cover, set by the force's tenant admin.

The Neighbourhood Watch association's export (domain/area_export.py) holds the watch groups of
exactly these wards, so a coordinator never carries away another area's groups. Pure: values
in, events out.
"""

from __future__ import annotations

from collections.abc import Iterable

from snp.membership.v1 import events_pb2 as pb
from snp_membership.domain.model import WARD_CODE, GroupRuleBroken, InvalidGroupInput

MAX_WARDS = 200  # a London borough has about 20; a whole force's wards still fit
AREA_COORDINATOR = "area_coordinator"


def ward_codes(codes: Iterable[str]) -> list[str]:
    """The area's ward codes, distinct and sorted, or InvalidGroupInput saying what is wrong
    (an empty list is an area with no wards: the coordinator's export is then refused)."""
    given = [str(code).strip() for code in codes]
    problems = [f"{code!r} is not a ward code" for code in given if not WARD_CODE.match(code)]
    distinct = sorted(set(given))
    if len(distinct) > MAX_WARDS:
        problems.append(f"an area has at most {MAX_WARDS} wards")
    if problems:
        raise InvalidGroupInput(problems)
    return distinct


def set_area(
    account_id: str, account_kind: str, current: list[str] | None, wards: list[str], set_by: str
) -> list[pb.AreaSet]:
    """The area after a tenant admin's change; the same wards again record nothing. Only an
    area coordinator has an area (the policy asks the same of the target's kind)."""
    if account_kind != AREA_COORDINATOR:
        raise GroupRuleBroken("only an area coordinator covers an area")
    if current is not None and current == wards:
        return []
    return [pb.AreaSet(account_id=account_id, ward_codes=wards, set_by=set_by)]
