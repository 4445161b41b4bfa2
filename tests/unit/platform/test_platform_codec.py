"""The event codec every service's domain/events.py builds: names, parsing, unknown types."""

from __future__ import annotations

import importlib

import pytest

from snp.identity.v1 import events_pb2 as identity
from snp.membership.v1 import events_pb2 as membership
from snp_platform.eventstore.codec import EventCodec, UnknownEventType


def test_events_are_named_by_service_and_message_and_parse_back() -> None:
    codec = EventCodec("identity", 3, (identity.TenantRegistered, identity.RoleGranted))
    assert codec.schema_version == 3
    assert set(codec.types) == {"identity.TenantRegistered", "identity.RoleGranted"}
    event = identity.TenantRegistered(slug="met", display_name="Metropolitan Police")
    assert codec.event_type(event) == "identity.TenantRegistered"
    parsed = codec.parse("identity.TenantRegistered", event.SerializeToString())
    assert parsed == event
    assert type(parsed) is identity.TenantRegistered


def test_an_unknown_type_is_refused_clearly_and_is_still_a_key_error() -> None:
    codec = EventCodec("identity", 1, (identity.TenantRegistered,))
    for name in ("identity.Unknown", "membership.GroupCreated", "TenantRegistered"):
        with pytest.raises(UnknownEventType) as refused:
            codec.parse(name, b"")
        assert isinstance(refused.value, KeyError)
        assert str(refused.value) == f"identity writes no event of type {name!r}"
        assert refused.value.event_type == name


def test_a_message_listed_twice_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="listed twice"):
        EventCodec("membership", 1, (membership.GroupCreated, membership.GroupCreated))


@pytest.mark.parametrize("service", ["identity", "membership", "documents", "messaging"])
def test_every_service_names_its_events_through_one_codec(service: str) -> None:
    events = importlib.import_module(f"snp_{service}.domain.events")
    assert events.CODEC.service == service
    assert events.SCHEMA_VERSION == events.CODEC.schema_version == 1
    assert events.EVENT_TYPES is events.CODEC.types
    for name, message_type in events.EVENT_TYPES.items():
        assert name == f"{service}.{message_type.DESCRIPTOR.name}"
        message = message_type()
        assert events.event_type(message) == name
        assert events.parse_event(name, message.SerializeToString()) == message
