"""The tenant admin's page for the wards an area coordinator covers, rendered through the app
with identity and membership faked: the wards shown as membership holds them, what is sent,
membership's 422 beside the field with nothing changed, and no such page for other kinds."""

from __future__ import annotations

import json

import httpx

from snp_portal.entrypoints.routes_force_staff_area import wards_typed
from tests.unit.portal.test_portal_agencies import client

COORDINATOR = {
    "account_id": "6f1c2f7e-1d2b-4c3a-9e8f-7a6b5c4d3e21",
    "kind": "area_coordinator",
    "display_name": "Cora Coordinator",
    "email": "cora@met.example",
    "status": "active",
    "roles": ["area_coordinator"],
    "totp_enrolled": True,
    "authenticator_reset": None,
    "last_sign_in_at": None,
}
OFFICER = {**COORDINATOR, "account_id": "0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f", "kind": "police"}
PAGE = f"/force-admin/staff/{COORDINATOR['account_id']}/area"
AREA = f"/membership/areas/{COORDINATOR['account_id']}"


def services(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/identity/accounts":
        return httpx.Response(200, json={"accounts": [COORDINATOR, OFFICER]})
    if path == AREA and request.method == "GET":
        body = {"account_id": COORDINATOR["account_id"], "ward_codes": ["E05009317"], "set": True}
        return httpx.Response(200, json=body)
    if path == AREA and request.method == "PUT":
        codes = json.loads(request.content)["ward_codes"]
        if any(not c.isalnum() for c in codes):
            problem = {
                "type": "urn:snp:problem:invalid-input",
                "title": "Invalid input",
                "errors": [{"message": "'=cmd' is not a ward code"}],
            }
            return httpx.Response(422, json=problem)
        return httpx.Response(
            200, json={"account_id": COORDINATOR["account_id"], "ward_codes": codes}
        )
    raise AssertionError(f"unexpected {request.method} {request.url}")


def test_ward_codes_are_read_as_an_admin_types_them() -> None:
    assert wards_typed(" E05009317, E05009318\nE05009319;E1 ") == [
        "E05009317",
        "E05009318",
        "E05009319",
        "E1",
    ]
    assert wards_typed("  ") == []


def test_the_form_shows_the_wards_and_saving_sends_them() -> None:
    calls: list[httpx.Request] = []
    test = client("tenant_admin", services, calls)
    page = test.get(PAGE)
    assert page.status_code == 200, page.text
    assert "The wards Cora Coordinator covers" in page.text and "E05009317" in page.text
    saved = test.post(PAGE, data={"csrf_token": "csrf-1", "ward_codes": "E05009317, E05009318"})
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("?done=area-set")
    [sent] = [c for c in calls if c.method == "PUT"]
    assert json.loads(sent.content) == {"ward_codes": ["E05009317", "E05009318"]}


def test_a_bad_ward_code_is_said_beside_the_field() -> None:
    calls: list[httpx.Request] = []
    test = client("tenant_admin", services, calls)
    refused = test.post(PAGE, data={"csrf_token": "csrf-1", "ward_codes": "E05009317 =cmd"})
    assert refused.status_code == 422
    assert "There is a problem" in refused.text
    assert "is not a ward code" in refused.text and "=cmd" in refused.text


def test_only_an_area_coordinator_has_the_page_and_only_an_admin_sees_it() -> None:
    calls: list[httpx.Request] = []
    admin = client("tenant_admin", services, calls)
    assert admin.get(f"/force-admin/staff/{OFFICER['account_id']}/area").status_code == 404
    police = client("police", services, calls)
    assert police.get(PAGE).status_code == 403
    forged = police.post(PAGE, data={"csrf_token": "csrf-1", "ward_codes": "E1"})
    assert forged.status_code == 403
    assert not [c for c in calls if c.method == "PUT"]
