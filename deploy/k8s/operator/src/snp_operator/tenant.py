"""The Tenant handler: register the tenant and its first admin through identity's REST API.

Idempotent: identity answers 409 for a tenant or account that exists, which counts as done. The
operator signs in as a platform operator whose email and password are in the Secret
`<platform>-operator-account` (made once with `snp-identity create-operator`). The first admin's
initial password is generated once and kept in the Secret `<tenant>-admin-credentials`, owned by
the Tenant, for the council's IT team to hand over.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Mapping
from typing import Any

import httpx
import kopf
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from snp_operator.catalogue import GROUP, HTTP_PORT, VERSION

OPERATORS_TENANT = "platform"


class ProvisioningError(Exception):
    """Identity refused (other than "exists already") or could not be reached."""


def _ok(response: httpx.Response, what: str) -> None:
    if response.status_code not in (200, 201, 409):
        raise ProvisioningError(f"{what}: identity answered {response.status_code}")


def provision(
    http: httpx.Client, spec: Mapping[str, Any], operator: Mapping[str, str], admin_password: str
) -> None:
    """Sign in as the operator, register the tenant, create its first tenant admin."""
    signed_in = http.post(
        "/identity/sessions",
        json={
            "tenant": OPERATORS_TENANT,
            "email": operator["email"],
            "password": operator["password"],
        },
    )
    if signed_in.status_code != 200:
        raise ProvisioningError(f"operator sign-in: identity answered {signed_in.status_code}")
    auth = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    slug = spec["slug"]
    tenant = {"slug": slug, "display_name": spec["displayName"]}
    _ok(http.post("/identity/tenants", json=tenant, headers=auth), "registering the tenant")
    admin = {
        "tenant": slug,
        "kind": "tenant_admin",
        "display_name": f"{spec['displayName']} administrator",
        "email": spec["adminEmail"],
        "password": admin_password,
    }
    _ok(http.post("/identity/accounts", json=admin, headers=auth), "creating the tenant admin")


def _secret(namespace: str, name: str) -> dict[str, str] | None:
    try:
        found = client.CoreV1Api().read_namespaced_secret(name, namespace)
    except ApiException as exc:
        if exc.status == 404:
            return None
        raise
    return {k: base64.b64decode(v).decode() for k, v in (found.data or {}).items()}


def _admin_password(body: kopf.Body) -> str:
    namespace, name = body["metadata"]["namespace"], f"{body['metadata']['name']}-admin-credentials"
    existing = _secret(namespace, name)
    if existing and "password" in existing:
        return str(existing["password"])
    made = {"email": body["spec"]["adminEmail"], "password": secrets.token_urlsafe(18)}
    secret: dict[str, Any] = {"metadata": {"name": name}, "stringData": made}
    kopf.adopt(secret, owner=body)
    client.CoreV1Api().create_namespaced_secret(namespace, secret)  # type: ignore[arg-type]
    return str(made["password"])


@kopf.on.resume(GROUP, VERSION, "tenants")
@kopf.on.create(GROUP, VERSION, "tenants")
@kopf.on.update(GROUP, VERSION, "tenants", field="spec")
def tenant_changed(body: kopf.Body, spec: kopf.Spec, patch: kopf.Patch, **_: Any) -> None:
    namespace, platform = body["metadata"]["namespace"], spec["platform"]
    generation = body["metadata"].get("generation", 0)
    operator = _secret(namespace, f"{platform}-operator-account")
    base = (
        os.environ.get("SNP_IDENTITY_URL") or f"http://{platform}-identity.{namespace}:{HTTP_PORT}"
    )
    try:
        if operator is None:
            raise ProvisioningError(f"Secret {platform}-operator-account not found")
        with httpx.Client(base_url=base, timeout=10) as http:
            provision(http, spec, operator, _admin_password(body))
    except (ProvisioningError, httpx.HTTPError) as exc:
        patch.status.update(state="Failed", message=str(exc), observedGeneration=generation)
        raise kopf.TemporaryError(str(exc), delay=30) from exc
    patch.status.update(state="Provisioned", message="", observedGeneration=generation)
