"""People for the portal's tests: a force registered with identity and accounts made as
membership_people does (staff with an authenticator enrolled); they sign in through the portal
itself. Also a client for the portal that reads a form's CSRF token as a browser would."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pyotp

from snp_identity.domain.contacts import Contact
from snp_identity.service_layer import accounts, second_factor, tenants
from snp_identity.service_layer.context import IdentityContext
from tests.integration.membership_people import META, PASSWORD

# The TOTP step each test account used last (identity refuses a code used before).
_LAST_STEP: dict[str, int] = {}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Account:
    account_id: str
    kind: str
    tenant: str
    email: str
    name: str
    totp: pyotp.TOTP | None

    def next_code(self) -> str:
        """A code identity has not seen yet: the earliest step after the last this account used
        that identity takes for at least 30 s more (now's or the next, one step of drift), so a
        third sign-in within the same 30 s waits for the next step, as a person would wait for
        their app's next code."""
        assert self.totp is not None
        while True:
            now = int(time.time() // 30)
            step = max(now, _LAST_STEP.get(self.account_id, 0) + 1)
            if step <= now + 1:
                break
            time.sleep(0.5)
        _LAST_STEP[self.account_id] = step
        return self.totp.at(step * 30)


def new_force(ctx: IdentityContext) -> str:
    tenant = f"force-{uuid.uuid4().hex[:8]}"
    tenants.register_tenant(ctx.streams, tenant, "Test Constabulary", META)
    return tenant


def make_account(
    ctx: IdentityContext, tenant: str, kind: str, name: str, agency_id: str = ""
) -> Account:
    """An account of `kind` (a partner names its agency), staff with an authenticator."""
    email = f"{kind}-{uuid.uuid4().hex[:10]}@{tenant}.example"
    account_id = accounts.register_account(
        ctx, tenant, kind, Contact(name, email), PASSWORD, META, "test", agency_id=agency_id
    )
    totp = None
    if kind != "member":
        enrolment = second_factor.start(ctx, tenant, account_id, META)
        totp = pyotp.TOTP(enrolment.secret)
        # Confirmed with the step before now's (identity allows one step of drift) unless now's
        # is nearly over, so that now's and the next are left for two sign-ins without a wait.
        now = time.time()
        step = int(now // 30) - (1 if now % 30 < 20 else 0)
        second_factor.confirm(ctx, tenant, account_id, totp.at(step * 30), META)
        _LAST_STEP[account_id] = step
    return Account(account_id, kind, tenant, email, name, totp)


def portal_url(stack: Any) -> str:
    return f"http://127.0.0.1:{stack.ports.services['portal'][0]}"


def portal_client(stack: Any) -> httpx.Client:
    return httpx.Client(base_url=portal_url(stack), timeout=30, follow_redirects=False)


def csrf_of(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found, f"no CSRF token in the page: {page.text[:500]}"
    return found.group(1)


def post_password(
    client: httpx.Client, account: Account, password: str = PASSWORD, next_url: str | None = None
) -> httpx.Response:
    """The sign-in form's first step, posted as a browser posts it (with the form's token)."""
    params = {"next": next_url} if next_url else {}
    form = client.get("/sign-in", params=params)
    return client.post(
        "/sign-in",
        params=params,
        data={
            "csrf_token": csrf_of(form),
            "tenant": account.tenant,
            "email": account.email,
            "password": password,
        },
    )


def post_code(client: httpx.Client, code_path: str, code: str) -> httpx.Response:
    """The authenticator code on the page the password step sent the browser to."""
    code_form = client.get(code_path)
    return client.post(code_path, data={"csrf_token": csrf_of(code_form), "code": code})


def sign_in(client: httpx.Client, account: Account, next_url: str = "/account") -> httpx.Response:
    """Through the portal's forms: the password, then the code when identity asks for it."""
    answer = post_password(client, account, next_url=next_url)
    if account.totp is None:
        return answer
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].startswith("/sign-in/code")
    return post_code(client, answer.headers["location"], account.next_code())


@contextmanager
def signed_in(stack: Any, who: Account) -> Iterator[httpx.Client]:
    """A portal client with `who` signed in."""
    with portal_client(stack) as client:
        assert sign_in(client, who).status_code == 303
        yield client
