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
    whether people (not only services) call its gRPC through the ingress."""

    name: str
    workers: tuple[str, ...]
    calls: tuple[str, ...] = ()
    public_grpc: bool = False


SERVICES = (
    Service("identity", ("relay",)),  # identity consumes no events
    Service("membership", ("relay", "consumer"), calls=("identity",)),
    Service("documents", ("relay", "consumer"), calls=("identity", "membership")),
    # Delivery workers scale with the volume of deliveries, apart from the consumer.
    Service("messaging", ("relay", "consumer", "worker"), calls=("identity", "membership")),
    # Audit publishes no events (no relay); auditors stream exports over its gRPC.
    Service("audit", ("consumer",), public_grpc=True),
)
BY_NAME = {service.name: service for service in SERVICES}
