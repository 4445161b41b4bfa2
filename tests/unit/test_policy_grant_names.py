"""Grant ids become the reasons in every allowed decision an auditor reads (`grant:<id>`), so
each must name what it allows: a watch group's creation logged as
`grant:member_creates_community_group` told the auditor something untrue."""

from __future__ import annotations

import json
from pathlib import Path

MATRIX = Path(__file__).resolve().parents[2] / "policies" / "matrix.json"
# How a grant id names each kind of group it is limited to.
GROUP_TYPE_WORDS = {
    "neighbourhood_watch": "watch",
    "community_group": "community_group",
    "ward_panel": "ward_panel",
}


def grants() -> list[tuple[str, dict[str, object]]]:
    matrix = json.loads(MATRIX.read_text())["snp"]["matrix"]
    return [(action, grant) for action, listed in matrix["actions"].items() for grant in listed]


def test_a_grant_limited_to_kinds_of_group_names_each_of_them() -> None:
    for action, grant in grants():
        where = grant.get("where", {})
        assert isinstance(where, dict)
        for group_type in where.get("group_type", []):
            word = GROUP_TYPE_WORDS[group_type]
            assert word in str(grant["id"]), (action, grant["id"], group_type)


def test_no_grant_is_named_only_by_who_holds_it() -> None:
    kinds = set(json.loads(MATRIX.read_text())["snp"]["matrix"]["kinds"])
    for action, grant in grants():
        assert grant["id"] not in kinds | {"sender"}, (action, grant["id"])
