"""The association's export rules: an area's wards, CSV cells that cannot run as formulas,
contacts only where identity released them, and the counts the export records."""

from __future__ import annotations

import csv
import io

import pytest

from snp.membership.v1 import events_pb2 as pb
from snp_membership.domain import area_export, areas
from snp_membership.domain.area_export import ExportedGroup, ExportedOfficer
from snp_membership.domain.model import GroupRuleBroken, InvalidGroupInput


def test_an_areas_wards_are_distinct_and_sorted() -> None:
    assert areas.ward_codes([" E05009317", "E05000001", "E05009317"]) == ["E05000001", "E05009317"]
    assert areas.ward_codes([]) == []


def test_bad_ward_codes_are_refused_each_by_name() -> None:
    with pytest.raises(InvalidGroupInput) as refused:
        areas.ward_codes(["E05000001", "=cmd", "a b"])
    assert refused.value.problems == ["'=cmd' is not a ward code", "'a b' is not a ward code"]
    with pytest.raises(InvalidGroupInput):
        areas.ward_codes([f"W{n}" for n in range(areas.MAX_WARDS + 1)])


def test_setting_an_area_records_the_whole_set_once() -> None:
    assert areas.set_area("c1", "area_coordinator", None, ["W1", "W2"], "admin") == [
        pb.AreaSet(account_id="c1", ward_codes=["W1", "W2"], set_by="admin")
    ]
    assert areas.set_area("c1", "area_coordinator", ["W1", "W2"], ["W1", "W2"], "admin") == []
    assert areas.set_area("c1", "area_coordinator", ["W1"], [], "admin") == [
        pb.AreaSet(account_id="c1", ward_codes=[], set_by="admin")
    ]


def test_only_an_area_coordinator_has_an_area() -> None:
    for kind in ("police", "member", "tenant_admin", "unknown"):
        with pytest.raises(GroupRuleBroken):
            areas.set_area("p1", kind, None, ["W1"], "admin")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_is_made_text(start: str) -> None:
    assert area_export.safe_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


def test_ordinary_cells_are_unchanged() -> None:
    for value in ("Elm Street Watch", "", "E05009317", "a=b", "O'Brien"):
        assert area_export.safe_cell(value) == value


def _export() -> list[ExportedGroup]:
    agreed = ExportedOfficer(
        "a1", "=Ann", ("coordinator",), frozenset({"police"}), "ann@example.org", "+447700900001"
    )
    declined = ExportedOfficer("b2", "Bob", ("coordinator",), frozenset())
    elm = ExportedGroup(
        "g1", "@Elm Watch", "W1", "Elm", "open", frozenset({"area_coordinator"}), (agreed, declined)
    )
    empty = ExportedGroup("g2", "Oak Watch", "W2", "Oak", "closed", frozenset(), ())
    return [elm, empty]


def test_the_csv_has_a_row_per_coordinator_with_contacts_only_where_released() -> None:
    rows = list(csv.DictReader(io.StringIO(area_export.as_csv(_export()))))
    assert [(r["group_id"], r["officer_account_id"]) for r in rows] == [
        ("g1", "a1"),
        ("g1", "b2"),
        ("g2", ""),
    ]
    ann, bob, oak = rows
    assert ann["group_name"] == "'@Elm Watch"
    assert ann["officer_display_name"] == "'=Ann"
    assert (ann["email"], ann["phone"]) == ("ann@example.org", "'+447700900001")
    assert (bob["email"], bob["phone"]) == ("", "")
    assert (ann["group_police_approved"], ann["group_area_coordinator_approved"]) == ("no", "yes")
    assert (ann["officer_police_approved"], bob["officer_police_approved"]) == ("yes", "no")
    assert oak["group_status"] == "closed"
    assert list(rows[0]) == list(area_export.CSV_COLUMNS)


def test_the_json_keeps_values_as_they_are_and_marks_both_sides() -> None:
    elm, oak = area_export.as_json(_export())
    assert elm["approvals"] == {"police": False, "area_coordinator": True}
    ann, bob = elm["officers"]
    assert ann["display_name"] == "=Ann"
    assert (ann["email"], ann["phone"]) == ("ann@example.org", "+447700900001")
    assert (bob["email"], bob["phone"]) == (None, None)
    assert ann["approvals"] == {"police": True, "area_coordinator": False}
    assert oak["officers"] == []


def test_the_recorded_counts_count_each_coordinator_once() -> None:
    groups = _export()
    twice = ExportedGroup("g3", "Ash Watch", "W1", "Elm", "open", frozenset(), groups[0].officers)
    assert area_export.officers_listed([*groups, twice]) == 2
    assert area_export.contacts_released([*groups, twice]) == 1
