"""Partner agencies and partner accounts over HTTP against the running stack: a tenant admin
registers an agency and a partner through identity's REST API, the partner signs in with
MFA and its token names the agency, sees no membership and no documents, another force's
partner gets 404 on the agency, bad input changes nothing, and a retired agency's partners can
no longer sign in."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import psycopg
import pyotp
import pytest

from tests.integration.kafka_helpers import wait_until
from tests.integration.membership_people import (
    found_group,
    identity_client,
    join,
    membership_client,
    people_in_new_forces,
    wait_for_account,
)
from tests.integration.refusals import refusal_reasons

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="module")
def identity(stack: Any) -> Iterator[httpx.Client]:
    with identity_client(stack) as client:
        yield client


@pytest.fixture(scope="module")
def membership(stack: Any) -> Iterator[httpx.Client]:
    with membership_client(stack) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def agency_events(stack: Any, tenant: str) -> int:
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        row = conn.execute(
            "SELECT count(*) FROM events WHERE tenant = %s AND stream_id LIKE 'agency:%%'",
            (tenant,),
        ).fetchone()
    return int(row[0]) if row else 0


def new_partner(
    identity: httpx.Client, admin: Any, agency_id: str, name: str = "Pat Partner"
) -> dict[str, Any]:
    """A partner account made by the force's admin (with a password, as a test may), then
    enrolled and signed in with MFA: its id, email, authenticator and tokens."""
    email = f"partner-{uuid.uuid4().hex[:8]}@council.example"
    made = identity.post(
        "/accounts",
        headers=admin.auth,
        json={
            "kind": "partner",
            "agency_id": agency_id,
            "display_name": name,
            "email": email,
            "password": PASSWORD,
        },
    )
    assert made.status_code == 201, made.text
    body = {"tenant": admin.tenant, "email": email, "password": PASSWORD}
    first = identity.post("/sessions", json=body)
    assert first.status_code == 200, first.text
    enrol_only = first.json()["access_token"]
    # Staff without MFA may only enrol: the agencies are refused until the second factor.
    refused = identity.get("/agencies", headers=bearer(enrol_only))
    assert refused.status_code == 403 and refused.json()["reasons"] == ["mfa_required"]
    started = identity.post("/me/totp", headers=bearer(enrol_only))
    totp = pyotp.TOTP(started.json()["secret"])
    confirmed = identity.post(
        "/me/totp/confirm", headers=bearer(enrol_only), json={"code": totp.now()}
    )
    assert confirmed.status_code == 200, confirmed.text
    without_code = identity.post("/sessions", json=body)
    assert without_code.json()["type"] == "urn:snp:problem:second-factor-required"
    signed = identity.post("/sessions", json={**body, "code": totp.at(time.time() + 30)})
    assert signed.status_code == 200, signed.text
    return {
        "account_id": made.json()["account_id"],
        "sign_in": body,
        "recovery_codes": confirmed.json()["recovery_codes"],
        "token": signed.json()["access_token"],
        "refresh_token": signed.json()["refresh_token"],
    }


@pytest.fixture(scope="module")
def world(stack: Any, identity: httpx.Client, membership: httpx.Client) -> dict[str, Any]:
    people = people_in_new_forces(
        stack,
        {
            "admin": ("tenant_admin", "Ada Admin"),
            "police": ("police", "Pc Plod"),
            "chair": ("member", "Chris Chair"),
            "resident": ("member", "Rita Resident"),
        },
        {"admin_b": ("tenant_admin", "Bea Admin")},
    )
    made = identity.post(
        "/agencies",
        headers=people["admin"].auth,
        json={"name": "Camden Council ASB team", "kind": "council"},
    )
    assert made.status_code == 201, made.text
    agency = made.json()
    partner = new_partner(identity, people["admin"], agency["agency_id"])
    made_b = identity.post(
        "/agencies", headers=people["admin_b"].auth, json={"name": "B housing", "kind": "housing"}
    )
    assert made_b.status_code == 201, made_b.text
    partner_b = new_partner(identity, people["admin_b"], made_b.json()["agency_id"])
    group = found_group(membership, people["chair"], visibility="public")
    wait_for_account(stack, people["resident"].account_id)
    join(membership, group, people["chair"], people["resident"])
    return {
        **people,
        "agency": agency,
        "partner_id": partner["account_id"],
        "partner": partner["token"],
        "partner_b": partner_b["token"],
        "group": group,
    }


def test_the_partners_token_names_its_agency_and_me_says_so(
    identity: httpx.Client, world: dict[str, Any]
) -> None:
    claims = jwt.decode(world["partner"], options={"verify_signature": False})
    assert (claims["kind"], claims["agency"]) == ("partner", world["agency"]["agency_id"])
    assert "mfa" in claims["amr"]
    me = identity.get("/me", headers=bearer(world["partner"])).json()
    assert (me["kind"], me["agency_id"]) == ("partner", world["agency"]["agency_id"])
    police = jwt.decode(world["police"].token, options={"verify_signature": False})
    assert "agency" not in police
    staff = identity.get("/accounts", headers=world["admin"].auth).json()["accounts"]
    [listed] = [a for a in staff if a["account_id"] == world["partner_id"]]
    assert (listed["kind"], listed["agency_id"]) == ("partner", world["agency"]["agency_id"])


def test_agencies_are_read_by_admins_police_and_partners_of_the_force(
    identity: httpx.Client, world: dict[str, Any]
) -> None:
    agency_id = world["agency"]["agency_id"]
    for token in (world["admin"].token, world["police"].token, world["partner"]):
        listed = identity.get("/agencies", headers=bearer(token))
        assert listed.status_code == 200, listed.text
        assert [a["agency_id"] for a in listed.json()["agencies"]] == [agency_id]
        one = identity.get(f"/agencies/{agency_id}", headers=bearer(token)).json()
        assert (one["name"], one["kind"], one["status"]) == (
            "Camden Council ASB team",
            "council",
            "active",
        )
    assert identity.get("/agencies", headers=world["chair"].auth).status_code == 403
    refused = identity.post(
        "/agencies", headers=bearer(world["partner"]), json={"name": "Mine", "kind": "other"}
    )
    assert refused.status_code == 403


def test_a_partner_gets_403_on_every_membership_read(
    stack: Any, membership: httpx.Client, world: dict[str, Any]
) -> None:
    group, headers = world["group"], bearer(world["partner"])
    # The same calls succeed for police, so the refusals are the partner's, not the group's.
    assert membership.get(f"/groups/{group}/members", headers=world["police"].auth).is_success
    answers = [
        membership.get(f"/groups/{group}", headers=headers),
        membership.get(f"/groups/{group}/members", headers=headers),
        membership.get(f"/groups/{group}/officers", headers=headers),
        membership.get(f"/groups/{group}/join-requests", headers=headers),
        membership.get("/me/groups", headers=headers),
        membership.post(f"/groups/{group}/join-requests", headers=headers),
    ]
    for answer in answers:
        assert answer.status_code == 403, (answer.request.url, answer.text)
        assert "Rita" not in answer.text and world["resident"].account_id not in answer.text
        assert "partner_never_membership" in refusal_reasons(stack, answer), answer.request.url
    # The force's group list (the police list) is refused or empty, never the groups.
    listed = membership.get("/groups", headers=headers)
    assert listed.status_code == 403 or listed.json()["groups"] == [], listed.text
    assert group not in listed.text


def test_another_forces_partner_and_admin_get_404_on_the_agency(
    stack: Any, identity: httpx.Client, world: dict[str, Any]
) -> None:
    agency_id, before = world["agency"]["agency_id"], agency_events(stack, world["admin"].tenant)
    for token in (world["partner_b"], world["admin_b"].token):
        got = identity.get(f"/agencies/{agency_id}", headers=bearer(token))
        assert got.status_code == 404, got.text
        assert got.json()["detail"] == "No such agency."
        listed = identity.get("/agencies", headers=bearer(token)).json()["agencies"]
        assert agency_id not in {a["agency_id"] for a in listed}
    renamed = identity.patch(
        f"/agencies/{agency_id}", headers=world["admin_b"].auth, json={"name": "Taken over"}
    )
    retired = identity.post(f"/agencies/{agency_id}/retire", headers=world["admin_b"].auth)
    assert (renamed.status_code, retired.status_code) == (404, 404)
    unknown = identity.get(f"/agencies/{uuid.uuid4()}", headers=world["admin"].auth)
    assert unknown.status_code == 404
    # Nor may B's admin make a partner of A's agency: refused as any unknown agency.
    partner = identity.post(
        "/accounts",
        headers=world["admin_b"].auth,
        json={
            "kind": "partner",
            "agency_id": agency_id,
            "display_name": "Spy",
            "email": f"spy-{uuid.uuid4().hex[:6]}@b.example",
        },
    )
    assert partner.status_code == 422
    assert agency_events(stack, world["admin"].tenant) == before


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"name": "", "kind": "council"}, 422, "Enter the agency's name"),
        ({"name": "   ", "kind": "council"}, 422, "Enter the agency's name"),
        ({"name": "x" * 300, "kind": "council"}, 422, "200 characters or fewer"),
        ({"name": "Fire", "kind": "army"}, 422, "Choose the kind of agency"),
        ({"name": "Bad\u0007name", "kind": "fire"}, 422, "control characters"),
        ({"name": "camden council  asb TEAM", "kind": "other"}, 409, "already has an agency"),
        ({"name": "Fire", "kind": "fire", "extra": 1}, 422, ""),
    ],
)
def test_bad_agency_input_is_a_problem_and_changes_nothing(
    stack: Any,
    identity: httpx.Client,
    world: dict[str, Any],
    body: dict[str, Any],
    status: int,
    message: str,
) -> None:
    tenant, admin = world["admin"].tenant, world["admin"].auth
    before = agency_events(stack, tenant)
    listed_before = identity.get("/agencies", headers=admin).json()
    answer = identity.post("/agencies", headers=admin, json=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert message in answer.text
    assert agency_events(stack, tenant) == before
    assert identity.get("/agencies", headers=admin).json() == listed_before


def test_staff_accounts_name_an_agency_only_as_partners(
    identity: httpx.Client, world: dict[str, Any]
) -> None:
    base = {"display_name": "Nobody", "password": PASSWORD}
    cases = [
        ({"kind": "partner"}, "choose the agency the partner acts for"),
        ({"kind": "partner", "agency_id": str(uuid.uuid4())}, "choose an active agency"),
        ({"kind": "police", "agency_id": world["agency"]["agency_id"]}, "only a partner"),
    ]
    for extra, message in cases:
        email = f"n-{uuid.uuid4().hex[:8]}@x.example"
        answer = identity.post(
            "/accounts", headers=world["admin"].auth, json={**base, **extra, "email": email}
        )
        assert answer.status_code == 422, answer.text
        assert message in answer.text
        # Nothing was made: the address is still free for a right request.
        ok = {"kind": "police", "display_name": "Later", "email": email, "password": PASSWORD}
        assert identity.post("/accounts", headers=world["admin"].auth, json=ok).status_code == 201


def test_renaming_and_retiring_an_agency(
    stack: Any, identity: httpx.Client, membership: httpx.Client, world: dict[str, Any]
) -> None:
    admin = world["admin"]
    made = identity.post("/agencies", headers=admin.auth, json={"name": "LFB", "kind": "fire"})
    agency_id = made.json()["agency_id"]
    renamed = identity.patch(
        f"/agencies/{agency_id}", headers=admin.auth, json={"name": "London Fire Brigade"}
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "London Fire Brigade"
    clash = identity.patch(
        f"/agencies/{agency_id}", headers=admin.auth, json={"name": "Camden Council ASB team"}
    )
    assert clash.status_code == 409
    police_rename = identity.patch(
        f"/agencies/{agency_id}", headers=world["police"].auth, json={"name": "Police Fire"}
    )
    assert police_rename.status_code == 403
    firefighter = new_partner(identity, admin, agency_id, "Fay Firefighter")
    held = bearer(firefighter["token"])
    assert identity.get("/me", headers=held).status_code == 200
    # Membership refuses a partner (403) but honours the token: that is what changes.
    assert membership.get("/me/groups", headers=held).status_code == 403
    retired = identity.post(f"/agencies/{agency_id}/retire", headers=admin.auth)
    assert retired.status_code == 204
    # The access token the partner holds ends with the agency, in identity and in the other
    # services once identity's event reaches them (each reloads its list every few seconds).
    wait_until(
        lambda: identity.get("/me", headers=held).status_code == 401,
        timeout=60,
        what="identity to stop honouring the retired agency's partner",
    )
    wait_until(
        lambda: membership.get("/me/groups", headers=held).status_code == 401,
        timeout=60,
        what="membership to stop honouring the retired agency's partner",
    )
    again = identity.post(f"/agencies/{agency_id}/retire", headers=admin.auth)
    assert again.status_code == 409
    shown = identity.get(f"/agencies/{agency_id}", headers=admin.auth).json()
    assert (shown["name"], shown["status"]) == ("London Fire Brigade", "retired")
    with psycopg.connect(stack.service_database_url("identity")) as conn:
        types = [
            r[0]
            for r in conn.execute(
                "SELECT event_type FROM events WHERE stream_id = %s ORDER BY stream_version",
                (f"agency:{agency_id}",),
            )
        ]
    assert types == [
        "identity.AgencyRegistered",
        "identity.AgencyRenamed",
        "identity.AgencyRetired",
    ]
    # A retired agency takes no new partners, and its partners no longer sign in.
    more = identity.post(
        "/accounts",
        headers=admin.auth,
        json={
            "kind": "partner",
            "agency_id": agency_id,
            "display_name": "Late",
            "email": f"late-{uuid.uuid4().hex[:6]}@x.example",
            "password": PASSWORD,
        },
    )
    assert more.status_code == 422
    # Every factor right (a recovery code: the current steps' codes are spent), still refused.
    code = firefighter["recovery_codes"][0]
    signed = identity.post("/sessions", json={**firefighter["sign_in"], "code": code})
    assert signed.status_code == 403, signed.text
    assert signed.json()["type"] == "urn:snp:problem:agency-retired"
    refreshed = identity.post(
        "/sessions/refresh", json={"refresh_token": firefighter["refresh_token"]}
    )
    assert refreshed.status_code == 401, refreshed.text
    # The retired agency's name is free again for a new agency of the force.
    anew = identity.post(
        "/agencies", headers=admin.auth, json={"name": "London Fire Brigade", "kind": "fire"}
    )
    assert anew.status_code == 201, anew.text
