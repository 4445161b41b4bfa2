"""A service's event codec: the wire name of each of its protobuf events, and back.

Every service names its events `<service>.<Message>` (e.g. `identity.AccountRegistered`), stores
their payloads as the message's protobuf bytes and records the schema version they were written
under. A codec holds the messages a service writes and answers both ways.
"""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf.message import Message


class UnknownEventType(KeyError):
    """A type the service never wrote (a KeyError, as a lookup by name always raised)."""

    def __init__(self, service: str, event_type: str) -> None:
        super().__init__(event_type)
        self.service, self.event_type = service, event_type

    def __str__(self) -> str:
        return f"{self.service} writes no event of type {self.event_type!r}"


class EventCodec:
    """The events of one service: `event_type(message)` names one, `parse` reads one back."""

    def __init__(
        self, service: str, schema_version: int, messages: Iterable[type[Message]]
    ) -> None:
        self.service = service
        self.schema_version = schema_version
        self.types: dict[str, type[Message]] = {}
        for message_type in messages:
            name = f"{service}.{message_type.DESCRIPTOR.name}"
            if name in self.types:
                raise ValueError(f"event type {name!r} is listed twice")
            self.types[name] = message_type

    def event_type(self, message: Message) -> str:
        """The wire name of an event, e.g. `identity.AccountRegistered`."""
        return f"{self.service}.{message.DESCRIPTOR.name}"

    def parse(self, event_type: str, payload: bytes) -> Message:
        """The protobuf message of a recorded event; UnknownEventType for a type not listed."""
        message_type = self.types.get(event_type)
        if message_type is None:
            raise UnknownEventType(self.service, event_type)
        message = message_type()
        message.ParseFromString(payload)
        return message
