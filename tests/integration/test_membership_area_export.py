"""The Neighbourhood Watch association's export, against the real stack (issue 18): a tenant
admin sets the wards an area coordinator covers; the coordinator's export (CSV and JSON) holds
exactly the watch groups of those wards — not a watch group of another ward, not a ward panel
or community group of the same ward, not another force's watch group with the same ward code —
with their coordinators and both approval markings; email and phone only for the coordinator
who agreed, whose disclosures then show the release; each export is an `AreaExported` event
that reaches audit. Police, a member, a partner and a tenant admin get 403; a coordinator
without an area 409; a bad format 422."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from typing import Any

import httpx
import psycopg
import pytest

from snp.membership.v1 import events_pb2 as mpb
from snp_identity.service_layer import agencies
from tests.integration.membership_people import (
    META,
    PASSWORD,
    Person,
    found_group,
    identity_client,
    identity_context,
    join,
    membership_client,
    wait_for_account,
    wait_for_tenant,
)
from tests.integration.portal_people import Account, make_account, new_force

pytestmark = pytest.mark.integration

WARD, OTHER_WARD = "E05009317", "E05009318"


def _wait(check: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"never happened: {what}")


def _token(identity: httpx.Client, account: Account) -> str:
    body = {"tenant": account.tenant, "email": account.email, "password": PASSWORD}
    if account.totp is not None:
        body["code"] = account.next_code()
    signed = identity.post("/sessions", json=body)
    assert signed.status_code == 200, signed.text
    return str(signed.json()["access_token"])


def _force(stack: Any, **wanted: str) -> tuple[str, dict[str, tuple[Account, Person]]]:
    """`key=kind` accounts of one new force, each signed in (a partner for a new agency)."""
    with identity_context(stack) as ctx, identity_client(stack) as identity:
        tenant = new_force(ctx)
        agency = agencies.register_agency(ctx, tenant, "Elm Council ASB", "council", "test", META)
        people: dict[str, tuple[Account, Person]] = {}
        for key, kind in wanted.items():
            name = f"{key.title()} {kind.replace('_', ' ').title()}"
            account = make_account(ctx, tenant, kind, name, agency if kind == "partner" else "")
            people[key] = (
                account,
                Person(account.account_id, kind, tenant, _token(identity, account)),
            )
    wait_for_tenant(stack, tenant)
    for account, _person in people.values():
        if account.kind in ("member", "area_coordinator"):
            wait_for_account(stack, account.account_id)
    return tenant, people


@pytest.fixture(scope="module")
def world(stack: Any) -> dict[str, Any]:
    _tenant, force = _force(
        stack,
        ann="member",
        bob="member",
        cat="member",
        dan="member",
        meg="member",
        area="area_coordinator",
        spare="area_coordinator",
        admin="tenant_admin",
        police="police",
        partner="partner",
    )
    _other, elsewhere = _force(stack, zed="member")
    p = {key: person for key, (_account, person) in force.items()}
    with membership_client(stack) as api:
        elm = found_group(api, p["ann"], name="Elm Street Watch", ward_code=WARD, ward_name="Elm")
        join(api, elm, p["ann"], p["bob"])
        appointed = api.put(
            f"/groups/{elm}/officers/coordinator",
            json={"account_id": p["bob"].account_id},
            headers=p["ann"].auth,
        )
        assert appointed.status_code == 200, appointed.text
        marks = [
            (p["police"], {"group_id": elm, "subject": "group", "side": "police"}),
            (
                p["area"],
                {
                    "group_id": elm,
                    "subject": "coordinator",
                    "account_id": p["ann"].account_id,
                    "side": "area_coordinator",
                },
            ),
        ]
        for who, marking in marks:
            marked = api.post("/approvals", json=marking, headers=who.auth)
            assert marked.status_code == 201, marked.text
        oak = found_group(
            api, p["cat"], name="Oak Road Watch", ward_code=OTHER_WARD, ward_name="Oak"
        )
        community = found_group(
            api,
            p["dan"],
            group_type="community_group",
            name="Elm Gardeners",
            ward_code=WARD,
            ward_name="Elm",
        )
        panel = api.post(
            "/groups",
            json={
                "group_type": "ward_panel",
                "name": "Elm Ward Panel",
                "ward_code": WARD,
                "ward_name": "Elm",
                "visibility": "public",
                "first_chair": p["dan"].account_id,
            },
            headers=p["police"].auth,
        )
        assert panel.status_code == 201, panel.text
        zed = elsewhere["zed"][1]
        foreign = found_group(api, zed, name="Elm Street Watch", ward_code=WARD, ward_name="Elm")
    return {
        "people": p,
        "accounts": {key: account for key, (account, _person) in force.items()},
        "elm": elm,
        "absent": {oak, community, str(panel.json()["group_id"]), foreign},
    }


def _membership_events(stack: Any, event_type: str, tenant: str) -> list[tuple[str, bytes]]:
    with psycopg.connect(stack.service_database_url("membership")) as conn:
        rows = conn.execute(
            "SELECT stream_id, payload FROM events WHERE event_type = %s AND tenant = %s "
            "ORDER BY position",
            (event_type, tenant),
        ).fetchall()
    return [(r[0], bytes(r[1])) for r in rows]


def test_a_tenant_admin_sets_an_area_coordinators_wards_and_bad_input_changes_nothing(
    stack: Any, world: dict[str, Any]
) -> None:
    p = world["people"]
    area, admin = p["area"], p["admin"]
    with membership_client(stack) as api:
        never = api.get(f"/areas/{area.account_id}", headers=admin.auth)
        assert never.json() == {"account_id": area.account_id, "ward_codes": [], "set": False}
        bad = api.put(
            f"/areas/{area.account_id}", json={"ward_codes": [WARD, "=cmd"]}, headers=admin.auth
        )
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert _membership_events(stack, "membership.AreaSet", area.tenant) == []
        # Only a tenant admin sets an area, and only an area coordinator has one.
        for who in (p["police"], area, p["ann"]):
            refused = api.put(
                f"/areas/{area.account_id}", json={"ward_codes": [WARD]}, headers=who.auth
            )
            assert refused.status_code == 403, (who.kind, refused.text)
        not_coordinator = api.put(
            f"/areas/{p['police'].account_id}", json={"ward_codes": [WARD]}, headers=admin.auth
        )
        assert not_coordinator.status_code == 403, not_coordinator.text
        set_ = api.put(
            f"/areas/{area.account_id}",
            json={"ward_codes": [WARD, "E05000999", WARD]},
            headers=admin.auth,
        )
        assert set_.status_code == 200, set_.text
        assert set_.json()["ward_codes"] == ["E05000999", WARD]
        again = api.put(
            f"/areas/{area.account_id}",
            json={"ward_codes": [WARD, "E05000999"]},
            headers=admin.auth,
        )
        assert again.status_code == 200, again.text
        own = api.get(f"/areas/{area.account_id}", headers=area.auth)
        assert own.json() == {
            "account_id": area.account_id,
            "ward_codes": ["E05000999", WARD],
            "set": True,
        }
        assert api.get(f"/areas/{area.account_id}", headers=p["spare"].auth).status_code == 403
    recorded = _membership_events(stack, "membership.AreaSet", area.tenant)
    assert len(recorded) == 1  # the same wards again recorded nothing
    stream, payload = recorded[0]
    assert stream == f"area:{area.account_id}"
    assert mpb.AreaSet.FromString(payload) == mpb.AreaSet(
        account_id=area.account_id, ward_codes=["E05000999", WARD], set_by=admin.account_id
    )


def test_the_export_holds_exactly_the_areas_watch_groups_and_only_agreed_contacts(
    stack: Any, world: dict[str, Any]
) -> None:
    p, accounts = world["people"], world["accounts"]
    area, ann, bob = p["area"], p["ann"], p["bob"]
    with identity_client(stack) as identity, membership_client(stack) as api:
        api.put(f"/areas/{area.account_id}", json={"ward_codes": [WARD]}, headers=p["admin"].auth)
        agreed = identity.put("/me/association-sharing", json={"agreed": True}, headers=ann.auth)
        assert agreed.status_code == 204, agreed.text
        assert identity.get("/me", headers=ann.auth).json()["shares_with_association"] is True
        assert identity.get("/me", headers=bob.auth).json()["shares_with_association"] is False
        refused = identity.put(
            "/me/association-sharing", json={"agreed": True}, headers=p["police"].auth
        )
        assert refused.status_code == 403, refused.text

        exported = api.get("/area-export", params={"format": "json"}, headers=area.auth)
        assert exported.status_code == 200, exported.text
        assert exported.headers["cache-control"] == "no-store"
        body = exported.json()
        assert body["ward_codes"] == [WARD]
        assert [g["group_id"] for g in body["groups"]] == [world["elm"]]
        (elm,) = body["groups"]
        assert not world["absent"] & {g["group_id"] for g in body["groups"]}
        assert (elm["name"], elm["ward_code"], elm["status"]) == ("Elm Street Watch", WARD, "open")
        assert elm["approvals"] == {"police": True, "area_coordinator": False}
        officers = {o["account_id"]: o for o in elm["officers"]}
        assert set(officers) == {ann.account_id, bob.account_id}
        ann_row, bob_row = officers[ann.account_id], officers[bob.account_id]
        assert ann_row["display_name"] == accounts["ann"].name
        assert ann_row["roles"] == ["coordinator"]
        assert ann_row["approvals"] == {"police": False, "area_coordinator": True}
        assert ann_row["email"] == accounts["ann"].email
        assert bob_row["display_name"] == accounts["bob"].name
        assert (bob_row["email"], bob_row["phone"]) == (None, None)

        as_csv = api.get("/area-export", params={"format": "csv"}, headers=area.auth)
        assert as_csv.status_code == 200, as_csv.text
        assert as_csv.headers["content-type"].startswith("text/csv")
        assert as_csv.headers["content-disposition"].startswith("attachment;")
        rows = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert {r["group_id"] for r in rows} == {world["elm"]}
        by_officer = {r["officer_account_id"]: r for r in rows}
        assert by_officer[ann.account_id]["email"] == accounts["ann"].email
        assert by_officer[bob.account_id]["email"] == ""
        assert by_officer[ann.account_id]["group_police_approved"] == "yes"
        assert by_officer[ann.account_id]["officer_area_coordinator_approved"] == "yes"

        # The release is Ann's disclosure, in words; Bob, who did not agree, has none.
        ann_sees = identity.get("/me/disclosures", headers=ann.auth).json()["disclosures"]
        exports = [d for d in ann_sees if d["purpose"] == "association_export"]
        assert len(exports) == 2  # one release for each export
        assert exports[0]["service"] == "membership"
        assert "Neighbourhood Watch area coordinator" in exports[0]["words"]
        bob_sees = identity.get("/me/disclosures", headers=bob.auth).json()["disclosures"]
        assert [d for d in bob_sees if d["purpose"] == "association_export"] == []

    recorded = [
        mpb.AreaExported.FromString(payload)
        for _stream, payload in _membership_events(stack, "membership.AreaExported", area.tenant)
    ]
    assert [(e.format, e.account_id) for e in recorded] == [
        ("json", area.account_id),
        ("csv", area.account_id),
    ]
    assert recorded[0].export_id == exported.headers["snp-export-id"]
    for event in recorded:
        assert list(event.group_ids) == [world["elm"]]
        assert list(event.ward_codes) == [WARD]
        assert (event.coordinators, event.contacts_released) == (2, 1)

    # Each export reaches the force's audit log.
    with psycopg.connect(stack.service_database_url("audit")) as conn:

        def audited() -> int:
            row = conn.execute(
                "SELECT count(*) FROM audit_entries WHERE tenant = %s "
                "AND event_type = 'membership.AreaExported'",
                (area.tenant,),
            ).fetchone()
            conn.rollback()
            return int(row[0]) if row else 0

        _wait(lambda: audited() >= 2, "the exports in the audit log")


def test_withdrawing_the_agreement_stops_the_release(stack: Any, world: dict[str, Any]) -> None:
    p = world["people"]
    with identity_client(stack) as identity, membership_client(stack) as api:
        api.put(
            f"/areas/{p['area'].account_id}", json={"ward_codes": [WARD]}, headers=p["admin"].auth
        )
        withdrawn = identity.put(
            "/me/association-sharing", json={"agreed": False}, headers=p["ann"].auth
        )
        assert withdrawn.status_code == 204, withdrawn.text
        body = api.get("/area-export", params={"format": "json"}, headers=p["area"].auth).json()
        (elm,) = body["groups"]
        assert [o["email"] for o in elm["officers"]] == [None, None]
        identity.put("/me/association-sharing", json={"agreed": True}, headers=p["ann"].auth)


def test_only_an_area_coordinator_with_an_area_exports_and_bad_format_is_422(
    stack: Any, world: dict[str, Any]
) -> None:
    p = world["people"]
    with membership_client(stack) as api:
        before = len(_membership_events(stack, "membership.AreaExported", p["area"].tenant))
        for key in ("police", "meg", "partner", "admin", "ann"):
            refused = api.get("/area-export", params={"format": "json"}, headers=p[key].auth)
            assert refused.status_code == 403, (key, refused.text)
            assert refused.headers["content-type"].startswith("application/problem+json")
        no_area = api.get("/area-export", params={"format": "csv"}, headers=p["spare"].auth)
        assert no_area.status_code == 409, no_area.text
        assert no_area.json()["type"].endswith("area-not-set")
        bad = api.get("/area-export", params={"format": "xlsx"}, headers=p["area"].auth)
        assert bad.status_code == 422, bad.text
        assert api.get("/area-export", params={"format": "csv"}).status_code == 401
        after = len(_membership_events(stack, "membership.AreaExported", p["area"].tenant))
    assert after == before  # nothing refused was recorded as an export
