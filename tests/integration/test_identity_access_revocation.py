"""Disabling an account or revoking a staff role ends its access everywhere within a minute:
in identity itself, and in any service fed by identity's events through the shared consumer."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from psycopg_pool import ConnectionPool

from snp.identity.v1 import events_pb2 as identity_pb
from snp_platform.consumer import ConsumerRunner
from snp_platform.projections import Subscriptions
from snp_platform.revocations import RevocationList, RevocationsProjection
from snp_platform.topics import events_topic
from tests.integration.test_identity_api import (
    PASSWORD,
    api,
    bearer,
    enrol_totp,
    new_tenant,
    next_code,
    operator,
    register_member,
    sign_in,
)

pytestmark = pytest.mark.integration
__all__ = ["api", "operator"]  # fixtures shared with test_identity_api
WITHIN = 60.0  # the promise: revocations take effect everywhere within 60 s


def _until(check: Any, timeout: float = WITHIN) -> float:
    """Seconds until `check()` was true; fails the test after `timeout`."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"not within {timeout:.0f} s"
        time.sleep(0.5)
    return time.monotonic() - started


def _with_mfa(api: httpx.Client, tenant: str, email: str) -> tuple[str, list[str]]:
    """Enrol TOTP for an account and sign in with it: (access token, recovery codes)."""
    token = sign_in(api, tenant, email).json()["access_token"]
    secret, recovery_codes = enrol_totp(api, token)
    signed = sign_in(api, tenant, email, next_code(secret))
    assert signed.status_code == 200, signed.text
    return signed.json()["access_token"], recovery_codes


@pytest.fixture(scope="module")
def force(api: httpx.Client, operator: dict[str, Any]) -> dict[str, str]:
    """A tenant with a tenant admin signed in with MFA."""
    tenant = new_tenant(api, operator)
    email = f"admin@{tenant}.example"
    made = api.post(
        "/accounts",
        headers=bearer(operator["token"]),
        json={
            "kind": "tenant_admin",
            "tenant": tenant,
            "display_name": "Force Admin",
            "email": email,
            "password": PASSWORD,
        },
    )
    assert made.status_code == 201, made.text
    token, _codes = _with_mfa(api, tenant, email)
    return {"tenant": tenant, "admin": token}


def test_a_disabled_account_loses_its_live_token_refresh_and_sign_in(
    api: httpx.Client, force: dict[str, str]
) -> None:
    tenant, email = force["tenant"], f"riley-{uuid.uuid4().hex[:6]}@example.org"
    account_id = register_member(api, tenant, email).json()["account_id"]
    tokens = sign_in(api, tenant, email).json()
    live = bearer(tokens["access_token"])
    assert api.get("/me", headers=live).status_code == 200

    member_try = api.post(f"/accounts/{account_id}/disable", headers=live)
    assert member_try.status_code == 403  # only a tenant admin disables
    disabled = api.post(f"/accounts/{account_id}/disable", headers=bearer(force["admin"]))
    assert disabled.status_code == 204, disabled.text

    took = _until(lambda: api.get("/me", headers=live).status_code == 401)
    refused = api.get("/me", headers=live)
    assert refused.json()["type"].endswith(":token-revoked")
    assert took <= 15  # identity's own list is refreshed every 10 s
    assert sign_in(api, tenant, email).status_code == 401
    refresh = api.post("/sessions/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401


def test_a_revoked_staff_role_ends_access_until_granted_again(
    api: httpx.Client, force: dict[str, str]
) -> None:
    tenant, admin = force["tenant"], bearer(force["admin"])
    email = f"pc-{uuid.uuid4().hex[:6]}@{tenant}.example"
    made = api.post(
        "/accounts",
        headers=admin,
        json={
            "kind": "police",
            "display_name": "PC Rowan",
            "email": email,
            "password": PASSWORD,
        },
    )
    assert made.status_code == 201, made.text
    officer_id = made.json()["account_id"]
    token, recovery_codes = _with_mfa(api, tenant, email)
    assert api.get("/me", headers=bearer(token)).status_code == 200

    # One account, one kind: a police account cannot be made a tenant admin.
    other = api.post(f"/accounts/{officer_id}/roles", headers=admin, json={"role": "tenant_admin"})
    assert other.status_code == 409
    revoked = api.request(
        "DELETE", f"/accounts/{officer_id}/roles", headers=admin, json={"role": "police"}
    )
    assert revoked.status_code == 204, revoked.text
    _until(lambda: api.get("/me", headers=bearer(token)).status_code == 401)
    suspended = sign_in(api, tenant, email, recovery_codes[0])  # every factor right
    assert suspended.status_code == 403
    assert suspended.json()["type"].endswith(":role-revoked")

    time.sleep(1.1)  # tokens carry whole seconds: the new one must postdate the revocation
    granted = api.post(f"/accounts/{officer_id}/roles", headers=admin, json={"role": "police"})
    assert granted.status_code == 204
    again = sign_in(api, tenant, email, recovery_codes[1])
    assert again.status_code == 200, again.text
    assert api.get("/me", headers=bearer(again.json()["access_token"])).status_code == 200


def test_another_service_learns_a_revocation_from_identitys_events(
    stack: Any, api: httpx.Client, force: dict[str, str], pool: ConnectionPool[Any]
) -> None:
    """The path every other service takes: its Subscriptions name identity's topic and the
    RevocationsProjection, which feeds `token_revocations`; its API's RevocationList refuses the
    token. The service's own projections see identity's events beside it."""
    tenant, email = force["tenant"], f"casey-{uuid.uuid4().hex[:6]}@example.org"
    account_id = register_member(api, tenant, email).json()["account_id"]
    token_issued = datetime.now(UTC).replace(microsecond=0)
    seen: list[str] = []

    class ServiceProjection:
        name = f"service-projection-{uuid.uuid4().hex[:6]}"

        def reset(self, _conn: Any) -> None:
            seen.clear()

        def apply(self, _conn: Any, envelope: Any) -> None:
            if envelope.event_type == "identity.AccountDisabled":
                disabled = identity_pb.AccountDisabled.FromString(envelope.payload)
                if disabled.account_id == account_id:
                    seen.append(envelope.event_type)

    subscriptions = Subscriptions(
        f"revocation-test-{uuid.uuid4().hex[:6]}",
        [events_topic("identity")],
        [RevocationsProjection(), ServiceProjection()],
    )
    runner = ConsumerRunner(
        pool,
        stack.kafka_bootstrap,
        subscriptions.group_id,
        list(subscriptions.topics),
        subscriptions,
    )
    stop = threading.Event()
    consuming = threading.Thread(target=runner.run, args=(stop,), daemon=True)
    consuming.start()
    try:
        revocations = RevocationList(pool, refresh_seconds=2.0)
        assert not revocations.is_revoked(tenant, account_id, token_issued)
        disabled = api.post(f"/accounts/{account_id}/disable", headers=bearer(force["admin"]))
        assert disabled.status_code == 204
        took = _until(lambda: revocations.is_revoked(tenant, account_id, token_issued))
        print(f"revocation reached the other service's token check in {took:.1f} s")
        # A token of another account, or of another tenant with the same id, is untouched.
        assert not revocations.is_revoked(tenant, str(uuid.uuid4()), token_issued)
        assert not revocations.is_revoked("another-force", account_id, token_issued)
        _until(lambda: seen == ["identity.AccountDisabled"])
    finally:
        stop.set()
        consuming.join(timeout=30)


def test_membership_refuses_a_disabled_accounts_live_token_within_a_minute(
    stack: Any, api: httpx.Client, force: dict[str, str]
) -> None:
    """End to end through a real second service: membership's consumer and API, as deployed."""
    tenant, email = force["tenant"], f"morgan-{uuid.uuid4().hex[:6]}@example.org"
    account_id = register_member(api, tenant, email).json()["account_id"]
    live = bearer(sign_in(api, tenant, email).json()["access_token"])
    http_port, _grpc = stack.ports.services["membership"]
    with httpx.Client(base_url=f"http://127.0.0.1:{http_port}/membership", timeout=30) as members:
        assert members.get("/groups", headers=live).status_code == 200
        disabled = api.post(f"/accounts/{account_id}/disable", headers=bearer(force["admin"]))
        assert disabled.status_code == 204
        took = _until(lambda: members.get("/groups", headers=live).status_code == 401)
        print(f"membership refused the disabled account's token after {took:.1f} s")
        assert members.get("/groups", headers=live).json()["type"].endswith(":token-revoked")
