"""The platform's services as Kubernetes sees them: roles, ports, who calls whom."""

from __future__ import annotations

from dataclasses import dataclass

HTTP_PORT = 8080
GRPC_PORT = 50051
OPA_PORT = 8181
GROUP = "snp.saferneighbourhoods.org"
VERSION = "v1alpha1"
FIELD_MANAGER = "snp-operator"


@dataclass(frozen=True)
class Service:
    """A service: its worker roles (beside `api`), the services whose gRPC it calls, and
    whether people (not only services) call its gRPC through the ingress. A web front (`web`:
    the portal) serves HTML over REST only, with no gRPC, Kafka, OPA or keys of the platform,
    and calls the REST APIs in `rest_calls` with the signed-in user's token."""

    name: str
    workers: tuple[str, ...]
    calls: tuple[str, ...] = ()
    public_grpc: bool = False
    web: bool = False
    rest_calls: tuple[str, ...] = ()


SERVICES = (
    # Identity consumes no events; it asks membership which groups an account leads alone
    # before that account erases itself, and (its relay) every service for its part of a
    # resident's copy of their data (ExportSubject, docs/subject-access.md).
    Service(
        "identity",
        ("relay",),
        calls=("membership", "documents", "messaging", "engagement", "audit"),
    ),
    Service("membership", ("relay", "consumer"), calls=("identity",)),
    Service("documents", ("relay", "consumer"), calls=("identity", "membership")),
    # Delivery workers scale with the volume of deliveries, apart from the consumer.
    Service("messaging", ("relay", "consumer", "worker"), calls=("identity", "membership")),
    # Engagement calls no other service: it learns ward panels and their officers from
    # membership's events. Its gRPC port serves the health check and identity's ExportSubject.
    Service("engagement", ("relay", "consumer")),
    # Audit publishes no events (no relay); auditors stream exports over its gRPC.
    Service("audit", ("consumer",), public_grpc=True),
    # The portal holds only sessions (its own database) and calls the other services' REST
    # (audit's for the operator's platform health page and the auditor's console;
    # engagement's for the ward-priority pages).
    Service(
        "portal",
        (),
        web=True,
        rest_calls=("identity", "membership", "documents", "messaging", "audit", "engagement"),
    ),
)
BY_NAME = {service.name: service for service in SERVICES}
