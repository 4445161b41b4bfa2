"""Service-to-service authentication for internal gRPC: short-lived Ed25519-signed tokens.

Each service holds its own private key; a callee trusts only the public keys of the callers it
names in configuration. Unlike a shared HMAC secret, no service can forge another's token.
"""

from __future__ import annotations

import base64
import collections
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

import grpc
import jwt
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from grpc import StreamStreamClientInterceptor as _SS
from grpc import StreamUnaryClientInterceptor as _SU
from grpc import UnaryStreamClientInterceptor as _US
from grpc import UnaryUnaryClientInterceptor as _UU

from snp_platform.logging import bind_context, context_value, get_logger
from snp_platform.settings import ServiceSettings

# A JWT `typ` (not a secret) that keeps user access tokens and service tokens apart.
TOKEN_TYPE = "snp-service+jwt"  # noqa: S105
HEALTH_METHODS = frozenset({"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch"})
_caller: ContextVar[str | None] = ContextVar("snp_service_caller", default=None)
_log = get_logger(__name__)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_keypair() -> tuple[str, str]:
    """A new `(private, public)` Ed25519 keypair as unpadded base64url of the raw 32 bytes."""
    private = Ed25519PrivateKey.generate()
    return _b64(private.private_bytes_raw()), _b64(private.public_key().public_bytes_raw())


def load_private_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8) or base64url of its raw 32 bytes."""
    if text.lstrip().startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 private key")
        return key
    return Ed25519PrivateKey.from_private_bytes(_unb64(text.strip()))


def load_public_key(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM (SubjectPublicKeyInfo) or base64url of its raw 32 bytes."""
    if text.lstrip().startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return Ed25519PublicKey.from_public_bytes(_unb64(text.strip()))


class InvalidServiceToken(Exception):
    """A service token is missing, malformed, untrusted, expired or for another audience."""


class ServiceTokenSigner:
    """Mints `iss`=this service, `aud`=callee tokens, reused until half their lifetime."""

    def __init__(self, service: str, private_key: Ed25519PrivateKey | str, ttl: int = 60) -> None:
        self._service, self._ttl = service, ttl
        self._key = load_private_key(private_key) if isinstance(private_key, str) else private_key
        self._cache: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def token_for(self, audience: str) -> str:
        """A signed token for calling `audience`."""
        now = time.time()
        with self._lock:
            cached = self._cache.get(audience)
            if cached is not None and now < cached[1]:
                return cached[0]
            claims = {"iss": self._service, "aud": audience, "iat": int(now)}
            claims["exp"] = int(now) + self._ttl
            token = jwt.encode(claims, self._key, algorithm="EdDSA", headers={"typ": TOKEN_TYPE})
            self._cache[audience] = (token, now + self._ttl / 2)
            return token


class ServiceTokenVerifier:
    """Accepts tokens addressed to `service` from the callers in `trusted` (name -> key)."""

    def __init__(
        self,
        service: str,
        trusted: Mapping[str, Ed25519PublicKey | str],
        leeway: float = 5.0,
        max_ttl: int = 300,
    ) -> None:
        self._service, self._leeway, self._max_ttl = service, leeway, max_ttl
        self._trusted = {
            name: load_public_key(key) if isinstance(key, str) else key
            for name, key in trusted.items()
        }

    def verify(self, token: str) -> str:
        """Return the calling service's name; raise InvalidServiceToken."""
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.InvalidTokenError as exc:
            raise InvalidServiceToken("malformed token") from exc
        if header.get("alg") != "EdDSA" or header.get("typ") != TOKEN_TYPE:
            raise InvalidServiceToken("not a service token")
        issuer = unverified.get("iss")
        key = self._trusted.get(issuer) if isinstance(issuer, str) else None
        if key is None:
            raise InvalidServiceToken("caller not trusted")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=["EdDSA"],
                audience=self._service,
                issuer=issuer,
                leeway=self._leeway,
                options={"require": ["iss", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as exc:
            raise InvalidServiceToken(type(exc).__name__) from exc
        # A trusted key must still not mint long-lived tokens: a leaked one would last for ever.
        if claims["exp"] - claims["iat"] > self._max_ttl:
            raise InvalidServiceToken("token lifetime too long")
        return str(issuer)


def authenticated_caller() -> str | None:
    """The service that made the current gRPC call (set by ServiceTokenServerInterceptor)."""
    return _caller.get()


# grpc ships no type information, hence the ignores on classes deriving from its bases.
_CallDetailsBase = collections.namedtuple(
    "_CallDetailsBase",
    ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"),
)


class _CallDetails(_CallDetailsBase, grpc.ClientCallDetails):  # type: ignore[misc]
    pass


class ServiceTokenClientInterceptor(_UU, _US, _SU, _SS):  # type: ignore[misc]
    """Adds `authorization: Bearer <service token>` (and the correlation id) to every call."""

    def __init__(self, signer: ServiceTokenSigner, audience: str) -> None:
        self._signer, self._audience = signer, audience

    def _details(self, details: Any) -> _CallDetails:
        metadata = [(k, v) for k, v in (details.metadata or ()) if k != "authorization"]
        metadata.append(("authorization", f"Bearer {self._signer.token_for(self._audience)}"))
        correlation_id = context_value("correlation_id")
        if correlation_id is not None:
            metadata.append(("x-correlation-id", correlation_id))
        return _CallDetails(
            details.method,
            details.timeout,
            metadata,
            details.credentials,
            details.wait_for_ready,
            details.compression,
        )

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        """Send a unary call with the service token."""
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        """Send a server-streaming call with the service token."""
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation: Any, details: Any, requests: Any) -> Any:
        """Send a client-streaming call with the service token."""
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation: Any, details: Any, requests: Any) -> Any:
        """Send a bidirectional call with the service token."""
        return continuation(self._details(details), requests)


Behaviour = Callable[[Any, grpc.ServicerContext], Any]


def _rewrap(handler: Any, wrap: Callable[[Behaviour, bool], Behaviour]) -> Any:
    """The same kind of handler as `handler`, its behaviour passed through `wrap`."""
    codecs = {
        "request_deserializer": handler.request_deserializer,
        "response_serializer": handler.response_serializer,
    }
    if handler.unary_unary:
        return grpc.unary_unary_rpc_method_handler(wrap(handler.unary_unary, False), **codecs)
    if handler.unary_stream:
        return grpc.unary_stream_rpc_method_handler(wrap(handler.unary_stream, True), **codecs)
    if handler.stream_unary:
        return grpc.stream_unary_rpc_method_handler(wrap(handler.stream_unary, False), **codecs)
    return grpc.stream_stream_rpc_method_handler(wrap(handler.stream_stream, True), **codecs)


def _as_caller(caller: str, correlation_id: str | None) -> Callable[[Behaviour, bool], Behaviour]:
    # Behaviours run on pooled threads: bind per call and clear after, so nothing leaks onwards.
    def enter() -> None:
        structlog.contextvars.clear_contextvars()
        bind_context(correlation_id=correlation_id, caller=caller)
        _caller.set(caller)

    def leave() -> None:
        _caller.set(None)
        structlog.contextvars.clear_contextvars()

    def wrap(behaviour: Behaviour, streaming: bool) -> Behaviour:
        def call(request: Any, context: grpc.ServicerContext) -> Any:
            enter()
            try:
                return behaviour(request, context)
            finally:
                leave()

        def stream(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
            enter()
            try:
                yield from behaviour(request, context)
            finally:
                leave()

        return stream if streaming else call

    return wrap


class ServiceTokenServerInterceptor(grpc.ServerInterceptor):  # type: ignore[misc]
    """Refuses calls without a valid service token with UNAUTHENTICATED (health stays open)."""

    def __init__(
        self, verifier: ServiceTokenVerifier, open_methods: Iterable[str] = HEALTH_METHODS
    ) -> None:
        self._verifier, self._open = verifier, frozenset(open_methods)

    def intercept_service(self, continuation: Any, details: Any) -> Any:
        """Verify the caller, then run the method as that caller, or refuse it."""
        handler = continuation(details)
        if handler is None or details.method in self._open:
            return handler
        metadata = dict(details.invocation_metadata or ())
        scheme, _, token = str(metadata.get("authorization", "")).partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise InvalidServiceToken("no bearer token")
            caller = self._verifier.verify(token.strip())
        except InvalidServiceToken as exc:
            _log.warning("service call refused", method=details.method, reason=str(exc))

            def refuse(behaviour: Behaviour, streaming: bool) -> Behaviour:
                def abort(request: Any, context: grpc.ServicerContext) -> Any:
                    context.abort(grpc.StatusCode.UNAUTHENTICATED, "service authentication failed")

                return abort

            return _rewrap(handler, refuse)
        correlation_id = metadata.get("x-correlation-id")
        correlation_id = correlation_id if isinstance(correlation_id, str) else None
        return _rewrap(handler, _as_caller(caller, correlation_id))


def signer_from_settings(settings: ServiceSettings) -> ServiceTokenSigner | None:
    """This service's signer from `service_signing_key`, or None when it has no key."""
    if settings.service_signing_key is None:
        return None
    key = settings.service_signing_key.get_secret_value()
    return ServiceTokenSigner(settings.service_name, key, settings.service_token_ttl_seconds)


def verifier_from_settings(settings: ServiceSettings) -> ServiceTokenVerifier:
    """A verifier for calls to this service from the callers in `service_trusted_keys`."""
    return ServiceTokenVerifier(settings.service_name, settings.service_trusted_keys)
