"""Service tokens over a real gRPC server on loopback: anonymous and forged calls are refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import grpc
import jwt
import pytest
import structlog
from grpc_health.v1 import health_pb2, health_pb2_grpc

from snp_platform.grpc_server import GrpcServer, create_grpc_server
from snp_platform.logging import bind_context
from snp_platform.service_auth import (
    TOKEN_TYPE,
    InvalidServiceToken,
    ServiceTokenClientInterceptor,
    ServiceTokenServerInterceptor,
    ServiceTokenSigner,
    ServiceTokenVerifier,
    authenticated_caller,
    generate_keypair,
    load_private_key,
)

MESSAGING = generate_keypair()
MEMBERSHIP = generate_keypair()
SAY = "/test.Echo/Say"
COUNT = "/test.Echo/Count"


def _say(request: bytes, context: grpc.ServicerContext) -> bytes:
    metadata = dict(context.invocation_metadata())
    return f"{authenticated_caller()}|{metadata.get('x-correlation-id')}|".encode() + request


def _count(request: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
    for i in range(int(request)):
        yield f"{authenticated_caller()}:{i}".encode()


def _register(handler: Any, server: grpc.Server) -> None:
    server.add_generic_rpc_handlers((handler,))


@pytest.fixture
def server() -> Iterator[GrpcServer]:
    echo = grpc.method_handlers_generic_handler(
        "test.Echo",
        {
            "Say": grpc.unary_unary_rpc_method_handler(_say),
            "Count": grpc.unary_stream_rpc_method_handler(_count),
        },
    )
    # identity trusts messaging only; membership's key is not configured
    verifier = ServiceTokenVerifier("identity", {"messaging": MESSAGING[1]})
    running = create_grpc_server(
        0,
        [(_register, echo)],
        [ServiceTokenServerInterceptor(verifier)],
        service_names=["test.Echo"],
        readiness_checks={"always": lambda: (True, "ok")},
    )
    running.start()
    yield running
    running.stop(grace=0)


def _channel(server: GrpcServer, *interceptors: Any) -> grpc.Channel:
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    return grpc.intercept_channel(channel, *interceptors) if interceptors else channel


def _as(service: tuple[str, str], name: str, audience: str = "identity") -> Any:
    return ServiceTokenClientInterceptor(ServiceTokenSigner(name, service[0]), audience)


def _code(call: Any) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as failure:
        call()
    code: grpc.StatusCode = failure.value.code()
    return code


def test_anonymous_call_is_unauthenticated(server: GrpcServer) -> None:
    say = _channel(server).unary_unary(SAY)
    assert _code(lambda: say(b"hi", timeout=5)) == grpc.StatusCode.UNAUTHENTICATED
    count = _channel(server).unary_stream(COUNT)
    assert _code(lambda: list(count(b"2", timeout=5))) == grpc.StatusCode.UNAUTHENTICATED


def test_trusted_caller_is_accepted_and_known_to_the_servicer(server: GrpcServer) -> None:
    channel = _channel(server, _as(MESSAGING, "messaging"))
    bind_context(correlation_id="corr-42")
    try:
        assert channel.unary_unary(SAY)(b"hi", timeout=5) == b"messaging|corr-42|hi"
    finally:
        structlog.contextvars.clear_contextvars()
    assert list(channel.unary_stream(COUNT)(b"2", timeout=5)) == [b"messaging:0", b"messaging:1"]


def test_wrong_audience_is_refused(server: GrpcServer) -> None:
    say = _channel(server, _as(MESSAGING, "messaging", audience="documents")).unary_unary(SAY)
    assert _code(lambda: say(b"hi", timeout=5)) == grpc.StatusCode.UNAUTHENTICATED


def test_untrusted_service_is_refused(server: GrpcServer) -> None:
    say = _channel(server, _as(MEMBERSHIP, "membership")).unary_unary(SAY)
    assert _code(lambda: say(b"hi", timeout=5)) == grpc.StatusCode.UNAUTHENTICATED


def test_caller_cannot_impersonate_another_service(server: GrpcServer) -> None:
    # membership signs with its own key but claims to be messaging
    say = _channel(server, _as(MEMBERSHIP, "messaging")).unary_unary(SAY)
    assert _code(lambda: say(b"hi", timeout=5)) == grpc.StatusCode.UNAUTHENTICATED


def test_health_stays_open_and_serving(server: GrpcServer) -> None:
    stub = health_pb2_grpc.HealthStub(_channel(server))
    for service in ("", "test.Echo"):
        reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_health_reflects_failing_readiness_checks() -> None:
    running = create_grpc_server(0, readiness_checks={"db": lambda: (False, "down")})
    running.start()
    try:
        stub = health_pb2_grpc.HealthStub(_channel(running))
        reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING
    finally:
        running.stop(grace=0)


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": "messaging", "aud": "identity", "iat": now, "exp": now + 60}
    claims.update(overrides)
    return claims


def _verify(token: str) -> str:
    return ServiceTokenVerifier("identity", {"messaging": MESSAGING[1]}).verify(token)


def test_verifier_checks_type_lifetime_and_expiry() -> None:
    key = load_private_key(MESSAGING[0])
    header = {"typ": TOKEN_TYPE}
    assert _verify(jwt.encode(_claims(), key, algorithm="EdDSA", headers=header)) == "messaging"
    bad = [
        jwt.encode(_claims(), key, algorithm="EdDSA"),  # a plain JWT, not a service token
        jwt.encode(_claims(exp=int(time.time()) + 86400), key, algorithm="EdDSA", headers=header),
        jwt.encode(_claims(exp=int(time.time()) - 60), key, algorithm="EdDSA", headers=header),
        jwt.encode(_claims(), "a-shared-secret-of-32-bytes-or-more!", "HS256", headers=header),
        "garbage",
    ]
    for token in bad:
        with pytest.raises(InvalidServiceToken):
            _verify(token)


def test_signer_reuses_a_token_until_half_its_lifetime() -> None:
    signer = ServiceTokenSigner("messaging", MESSAGING[0], ttl=60)
    assert signer.token_for("identity") == signer.token_for("identity")
    assert signer.token_for("identity") != signer.token_for("membership")
