"""Identity over HTTP against the running stack: operators, tenants, members, MFA, tokens."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pyotp
import pytest
from psycopg_pool import ConnectionPool

from snp_platform.eventstore import Stream

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="module")
def api(stack: Any) -> Iterator[httpx.Client]:
    http_port, _grpc = stack.ports.services["identity"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/identity", timeout=30) as client:
        yield client


def create_operator(stack: Any, email: str) -> None:
    env = {**os.environ, **stack.service_env("identity")}
    subprocess.run(
        [
            "snp-identity",
            "create-operator",
            "--email",
            email,
            "--name",
            "Council IT",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )


def sign_in(
    api: httpx.Client, tenant: str, email: str, code: str | None = None, password: str = PASSWORD
) -> httpx.Response:
    body = {"tenant": tenant, "email": email, "password": password}
    if code:
        body["code"] = code
    return api.post("/sessions", json=body)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def enrol_totp(api: httpx.Client, token: str) -> tuple[str, list[str]]:
    started = api.post("/me/totp", headers=bearer(token))
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    assert started.json()["otpauth_uri"].startswith("otpauth://totp/")
    confirmed = api.post(
        "/me/totp/confirm", headers=bearer(token), json={"code": pyotp.TOTP(secret).now()}
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


def next_code(secret: str) -> str:
    """A code for the next 30 s step (the current one was just used)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


@pytest.fixture(scope="module")
def operator(stack: Any, api: httpx.Client) -> dict[str, Any]:
    email = f"op-{uuid.uuid4().hex[:8]}@council.example"
    create_operator(stack, email)
    token = sign_in(api, "platform", email).json()["access_token"]
    secret, _codes = enrol_totp(api, token)
    signed = sign_in(api, "platform", email, next_code(secret))
    assert signed.status_code == 200, signed.text
    return {"email": email, "token": signed.json()["access_token"], "secret": secret}


def new_tenant(api: httpx.Client, operator: dict[str, Any]) -> str:
    slug = f"force-{uuid.uuid4().hex[:8]}"
    made = api.post(
        "/tenants",
        headers=bearer(operator["token"]),
        json={"slug": slug, "display_name": "Test Constabulary"},
    )
    assert made.status_code == 201, made.text
    return slug


def register_member(api: httpx.Client, tenant: str, email: str, **extra: str) -> httpx.Response:
    return api.post(
        f"/tenants/{tenant}/accounts",
        json={"display_name": "Alex Resident", "email": email, "password": PASSWORD, **extra},
    )


def test_a_staff_token_without_mfa_can_only_enrol_and_read_itself(
    stack: Any, api: httpx.Client
) -> None:
    email = f"op-{uuid.uuid4().hex[:8]}@council.example"
    create_operator(stack, email)
    signed = sign_in(api, "platform", email)
    assert signed.status_code == 200
    token = signed.json()["access_token"]
    refused = api.post(
        "/tenants", headers=bearer(token), json={"slug": "nomfa-force", "display_name": "No MFA"}
    )
    assert refused.status_code == 403
    assert "mfa_required" in refused.json()["reasons"]
    # The enrolment pages read the account to say whether an authenticator is set up.
    assert api.get("/me", headers=bearer(token)).json()["totp_enrolled"] is False
    assert api.post("/me/totp", headers=bearer(token)).status_code == 201


def test_operator_with_mfa_registers_a_tenant_and_its_first_admin_only(
    api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant = new_tenant(api, operator)
    admin = {
        "kind": "tenant_admin",
        "tenant": tenant,
        "display_name": "Force Admin",
        "password": PASSWORD,
    }
    first = api.post(
        "/accounts",
        headers=bearer(operator["token"]),
        json={**admin, "email": f"admin@{tenant}.example"},
    )
    assert first.status_code == 201, first.text
    second = api.post(
        "/accounts",
        headers=bearer(operator["token"]),
        json={**admin, "email": f"admin2@{tenant}.example"},
    )
    # Said plainly, not as an unknown resource: the force has its administrator already.
    assert second.status_code == 409, second.text
    assert second.json()["type"] == "urn:snp:problem:tenant-has-admin"
    assert "already has an administrator" in second.json()["detail"]
    police = api.post(
        "/accounts",
        headers=bearer(operator["token"]),
        json={**admin, "kind": "police", "email": f"police@{tenant}.example"},
    )
    assert police.status_code == 404  # outside their tenant-lifecycle work: as unknown
    again = api.post(
        "/tenants",
        headers=bearer(operator["token"]),
        json={"slug": tenant, "display_name": "Twice"},
    )
    assert again.status_code == 409


def test_member_registration_refuses_weak_passwords_and_taken_emails(
    api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant = new_tenant(api, operator)
    weak = api.post(
        f"/tenants/{tenant}/accounts",
        json={"display_name": "Alex", "email": "alex@example.org", "password": "password123"},
    )
    assert weak.status_code == 422
    assert weak.headers["content-type"].startswith("application/problem+json")
    assert register_member(api, tenant, "alex@example.org").status_code == 201
    assert register_member(api, tenant, "ALEX@example.org").status_code == 422
    assert register_member(api, "no-such-force", "x@example.org").status_code == 404


def test_anyone_reads_a_forces_display_name_by_its_slug_and_nothing_lists_forces(
    api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant = new_tenant(api, operator)
    named = api.get(f"/public/tenants/{tenant}")  # no token
    assert named.status_code == 200
    assert named.json() == {"slug": tenant, "display_name": "Test Constabulary"}
    unknown = api.get("/public/tenants/no-such-force")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["type"] == "urn:snp:problem:not-found"
    # The operators' tenant is not a police force.
    assert api.get("/public/tenants/platform").status_code == 404
    assert api.get("/public/tenants/Not A Slug").status_code == 422
    assert api.get("/public/tenants").status_code in (404, 405)
    assert api.get("/public/tenants/").status_code in (404, 405)


def test_unknown_account_and_wrong_password_get_the_same_answer(
    api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant = new_tenant(api, operator)
    register_member(api, tenant, "sam@example.org")
    wrong = sign_in(api, tenant, "sam@example.org", password="not the password at all")
    unknown = sign_in(api, tenant, "nobody@example.org", password="not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_repeated_failures_are_throttled_with_retry_after(
    api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant = new_tenant(api, operator)
    register_member(api, tenant, "kim@example.org")
    statuses = [
        sign_in(api, tenant, "kim@example.org", password="wrong wrong wrong").status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [401, 401, 401, 401]
    throttled = sign_in(api, tenant, "kim@example.org")  # even the right password must wait
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) >= 1


def test_a_replayed_totp_code_is_refused(api: httpx.Client, operator: dict[str, Any]) -> None:
    tenant = new_tenant(api, operator)
    register_member(api, tenant, "jo@example.org")
    token = sign_in(api, tenant, "jo@example.org").json()["access_token"]
    secret, recovery = enrol_totp(api, token)
    code = next_code(secret)
    assert sign_in(api, tenant, "jo@example.org", code).status_code == 200
    replay = sign_in(api, tenant, "jo@example.org", code)
    assert replay.status_code == 401
    assert sign_in(api, tenant, "jo@example.org", recovery[0]).status_code == 200
    assert sign_in(api, tenant, "jo@example.org", recovery[0]).status_code == 401


def test_reusing_a_rotated_refresh_token_revokes_the_family(
    api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant = new_tenant(api, operator)
    register_member(api, tenant, "lee@example.org")
    first = sign_in(api, tenant, "lee@example.org").json()["refresh_token"]
    second = api.post("/sessions/refresh", json={"refresh_token": first})
    assert second.status_code == 200
    rotated = second.json()["refresh_token"]
    assert api.post("/sessions/refresh", json={"refresh_token": first}).status_code == 401
    # The reuse looked like theft: the token handed out by the rotation is dead too.
    assert api.post("/sessions/refresh", json={"refresh_token": rotated}).status_code == 401


def test_a_token_of_one_tenant_is_refused_on_another_tenants_accounts(
    api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant_a, tenant_b = new_tenant(api, operator), new_tenant(api, operator)
    register_member(api, tenant_a, "a@example.org")
    b_id = register_member(api, tenant_b, "b@example.org").json()["account_id"]
    token_a = sign_in(api, tenant_a, "a@example.org").json()["access_token"]
    erase = api.delete(f"/accounts/{b_id}", headers=bearer(token_a))
    assert erase.status_code in (403, 404)
    token_b = sign_in(api, tenant_b, "b@example.org").json()["access_token"]
    assert api.get("/me", headers=bearer(token_b)).json()["email"] == "b@example.org"


def test_erasure_leaves_no_plaintext_in_the_database_or_on_kafka(
    stack: Any, api: httpx.Client, operator: dict[str, Any]
) -> None:
    from snp_platform.envelope import decode_envelope
    from snp_platform.eventstore import EventStore
    from tests.integration.kafka_helpers import read_topic, wait_until

    tenant = new_tenant(api, operator)
    email, phone = f"erase-{uuid.uuid4().hex[:6]}@example.org", "+447700900123"
    account_id = register_member(api, tenant, email, phone=phone).json()["account_id"]
    token = sign_in(api, tenant, email).json()["access_token"]
    new_email = f"moved-{uuid.uuid4().hex[:6]}@example.org"
    changed = api.put(
        "/me/contact",
        headers=bearer(token),
        json={"display_name": "Alex R", "email": new_email, "phone": phone},
    )
    assert changed.status_code == 204, changed.text
    assert api.get("/me", headers=bearer(token)).json()["email"] == new_email
    assert api.delete(f"/accounts/{account_id}", headers=bearer(token)).status_code == 204

    secrets = [s.encode() for s in (email, new_email, phone)]
    database = stack.service_database_url("identity")
    with psycopg.connect(database) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        ]
        for table in tables:
            for (row,) in conn.execute(f'SELECT t::text FROM "{table}" t').fetchall():
                assert not any(s.decode() in row for s in secrets), f"plaintext in {table}"
        payloads = [bytes(r[0]) for r in conn.execute("SELECT payload FROM events").fetchall()]
    assert not any(s in p for s in secrets for p in payloads)

    def erased_on_kafka() -> bool:
        messages = read_topic(stack.kafka_bootstrap, "snp.identity.events")
        return any(
            decode_envelope(m.value()).event_type == "identity.AccountErased"
            and account_id.encode() in (m.value() or b"")
            for m in messages
        )

    wait_until(erased_on_kafka, timeout=60, what="AccountErased published")
    for message in read_topic(stack.kafka_bootstrap, "snp.identity.events"):
        assert not any(s in (message.value() or b"") for s in secrets)

    # The history stays: every event still loads, only the contact ciphertexts are noise now.
    with ConnectionPool(database, min_size=1, max_size=1) as pool:
        stream = EventStore(pool).load(Stream(tenant, f"account:{account_id}"))
    types = [e.event_type for e in stream]
    assert types[0] == "identity.AccountRegistered"
    assert types[-1] == "identity.AccountErased"
    assert sign_in(api, tenant, new_email).status_code == 401


def test_directory_releases_contacts_only_to_services_and_records_each_release(
    stack: Any, api: httpx.Client, operator: dict[str, Any]
) -> None:
    import grpc

    from snp.identity.v1 import directory_pb2 as pb
    from snp.identity.v1 import directory_pb2_grpc as rpc
    from snp.identity.v1 import events_pb2
    from snp_platform.service_auth import ServiceTokenClientInterceptor, ServiceTokenSigner
    from snp_stack.secrets import service_private_key

    tenant, other = new_tenant(api, operator), new_tenant(api, operator)
    member = register_member(api, tenant, "dir@example.org", phone="+447700900456")
    stranger = register_member(api, other, "far@example.org").json()["account_id"]
    account_id = member.json()["account_id"]
    _http, grpc_port = stack.ports.services["identity"]
    why = events_pb2.ReleasePurpose(
        code="message_delivery", message_id="42", subject="Hello", sender_role="police officer"
    )
    request = pb.GetContactsRequest(tenant=tenant, account_ids=[account_id, stranger], why=why)

    with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as anonymous:
        with pytest.raises(grpc.RpcError) as refused:
            rpc.DirectoryStub(anonymous).GetContacts(request, timeout=10)
        assert refused.value.code() is grpc.StatusCode.UNAUTHENTICATED

    signer = ServiceTokenSigner("messaging", service_private_key(stack.state_dir, "messaging"))
    channel = grpc.intercept_channel(
        grpc.insecure_channel(f"127.0.0.1:{grpc_port}"),
        ServiceTokenClientInterceptor(signer, "identity"),
    )
    with channel:
        stub = rpc.DirectoryStub(channel)
        [contact] = stub.GetContacts(request, timeout=10).contacts  # the stranger is left out
        names = stub.GetDisplayNames(
            pb.GetDisplayNamesRequest(tenant=tenant, account_ids=[account_id]), timeout=10
        )
    assert (contact.account_id, contact.email, contact.phone) == (
        account_id,
        "dir@example.org",
        "+447700900456",
    )
    assert names.display_names == {account_id: "Alex Resident"}

    with psycopg.connect(stack.service_database_url("identity")) as conn:
        rows = conn.execute(
            "SELECT payload FROM events WHERE tenant = %s"
            " AND event_type = 'identity.ContactsBatchReleased'",
            (tenant,),
        ).fetchall()
    [release] = [events_pb2.ContactsBatchReleased.FromString(bytes(p)) for (p,) in rows]
    assert list(release.account_ids) == [account_id]  # the stranger of another force is not
    assert (release.requested_by, release.purpose) == ("messaging", "message delivery: 42")
    assert release.why == why


def test_operators_list_the_forces_with_their_administrators_and_no_one_else_can(
    api: httpx.Client, operator: dict[str, Any]
) -> None:
    tenant = new_tenant(api, operator)
    listed = api.get("/tenants", headers=bearer(operator["token"]))
    assert listed.status_code == 200, listed.text
    [row] = [t for t in listed.json()["tenants"] if t["slug"] == tenant]
    assert row["display_name"] == "Test Constabulary" and row["administrators"] == 0
    assert set(row) == {"slug", "display_name", "registered_at", "administrators"}
    api.post(
        "/accounts",
        headers=bearer(operator["token"]),
        json={
            "kind": "tenant_admin",
            "tenant": tenant,
            "display_name": "Force Admin",
            "email": f"admin@{tenant}.example",
            "password": PASSWORD,
        },
    ).raise_for_status()
    again = api.get("/tenants", headers=bearer(operator["token"])).json()["tenants"]
    assert [t["administrators"] for t in again if t["slug"] == tenant] == [1]
    assert "platform" not in {t["slug"] for t in again}  # the operators' tenant is no force
    assert api.get("/tenants").status_code == 401
    admin = sign_in(api, tenant, f"admin@{tenant}.example").json()
    refused = api.get("/tenants", headers=bearer(admin["access_token"]))
    assert refused.status_code == 403
