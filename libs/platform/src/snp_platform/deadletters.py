"""Dead letter topics: where a consumer group puts what it cannot apply, and how to replay it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from confluent_kafka import (
    OFFSET_BEGINNING,
    Consumer,
    KafkaError,
    Message,
    Producer,
    TopicPartition,
)

from snp_platform.envelope import MalformedEnvelope, decode_envelope
from snp_platform.kafka import client_config, producer_config
from snp_platform.topics import create_topics, dead_letter_spec, dead_letter_topic

REASON = "dlq-reason"
ORIGINAL_TOPIC = "dlq-original-topic"
ORIGINAL_PARTITION = "dlq-original-partition"
ORIGINAL_OFFSET = "dlq-original-offset"
ATTEMPTS = "dlq-attempts"
FAILED_AT = "dlq-failed-at"
REPLAYED_FROM = "dlq-replayed-from"
_DLQ_HEADERS = {REASON, ORIGINAL_TOPIC, ORIGINAL_PARTITION, ORIGINAL_OFFSET, ATTEMPTS, FAILED_AT}


class DeadLetterWriter:
    """Writes failed messages, unchanged, to the group's dead letter topic with the reason."""

    def __init__(self, bootstrap: str, group_id: str) -> None:
        self.topic = dead_letter_topic(group_id)
        create_topics(bootstrap, [dead_letter_spec(group_id)])
        self._producer = Producer(producer_config(bootstrap, f"{group_id}-dlq"))

    def write(self, message: Message, reason: str, attempts: int) -> None:
        """Produce and wait for the broker: the caller commits the offset only after this."""
        headers = [
            *(message.headers() or []),
            *{
                REASON: reason[:2000],
                ORIGINAL_TOPIC: message.topic() or "",
                ORIGINAL_PARTITION: str(message.partition()),
                ORIGINAL_OFFSET: str(message.offset()),
                ATTEMPTS: str(attempts),
                FAILED_AT: datetime.now(UTC).isoformat(),
            }.items(),
        ]
        errors: list[KafkaError | None] = []
        self._producer.produce(
            self.topic,
            key=message.key(),
            value=message.value(),
            headers=headers,
            on_delivery=lambda error, _m: errors.append(error),
        )
        self._producer.flush(30)
        if errors != [None]:
            raise RuntimeError(f"dead letter not confirmed by the broker: {errors}")


@dataclass(frozen=True)
class DeadLetter:
    """One dead letter as an operator sees it."""

    offset: int
    reason: str
    original_topic: str
    original_partition: int
    original_offset: int
    attempts: int
    failed_at: str
    event_id: str | None
    event_type: str | None
    replayed: bool
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]

    def summary(self) -> dict[str, Any]:
        """What an operator is shown: where it came from, why it failed, whether replayed;
        never its key, payload or headers."""
        return {
            "offset": self.offset,
            "reason": self.reason,
            "original": f"{self.original_topic}/{self.original_partition}@{self.original_offset}",
            "attempts": self.attempts,
            "failed_at": self.failed_at,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "replayed": self.replayed,
        }


def list_dead_letters(bootstrap: str, group_id: str, timeout: float = 10.0) -> list[DeadLetter]:
    """Every dead letter of a consumer group, oldest first, marked if already replayed."""
    topic = dead_letter_topic(group_id)
    reader = _reader(bootstrap, group_id)
    try:
        committed = reader.committed([TopicPartition(topic, 0)], timeout=timeout)[0].offset
        _low, high = reader.get_watermark_offsets(TopicPartition(topic, 0), timeout=timeout)
        letters: list[DeadLetter] = []
        reader.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        while high > 0 and (not letters or letters[-1].offset < high - 1):
            message = reader.poll(timeout)
            if message is None:
                raise TimeoutError(f"timed out reading {topic}")
            if message.error() is None:
                offset = message.offset() or 0
                letters.append(_dead_letter(message, replayed=0 <= offset < committed))
        return letters
    finally:
        reader.close()


def replay_dead_letters(
    bootstrap: str, group_id: str, offsets: set[int] | None = None, timeout: float = 10.0
) -> list[DeadLetter]:
    """Send dead letters back to their original topic (all not yet replayed, or those offsets).

    Duplicates are harmless to every consumer group (they dedupe by event id), and the group
    that failed has no record of the event, so it applies it afresh.
    """
    letters = list_dead_letters(bootstrap, group_id, timeout)
    chosen = [
        d
        for d in letters
        if (offsets is None and not d.replayed) or (offsets and d.offset in offsets)
    ]
    producer = Producer(producer_config(bootstrap, f"{group_id}-dlq-replay"))
    errors: list[KafkaError | None] = []
    for letter in chosen:
        headers = [(k, v) for k, v in letter.headers if k not in _DLQ_HEADERS]
        producer.produce(
            letter.original_topic,
            key=letter.key,
            value=letter.value,
            headers=[*headers, (REPLAYED_FROM, f"{group_id}:{letter.offset}".encode())],
            on_delivery=lambda error, _m: errors.append(error),
        )
    producer.flush(30)
    if any(e is not None for e in errors) or len(errors) != len(chosen):
        raise RuntimeError(f"replay not fully confirmed by the broker: {errors}")
    if offsets is None and chosen:
        reader = _reader(bootstrap, group_id)
        topic = dead_letter_topic(group_id)
        reader.commit(offsets=[TopicPartition(topic, 0, chosen[-1].offset + 1)], asynchronous=False)
        reader.close()
    return chosen


def _reader(bootstrap: str, group_id: str) -> Consumer:
    # Its own group: the committed offset is the replay cursor, never the failing group's.
    return Consumer(
        {
            **client_config(bootstrap),
            "group.id": f"{group_id}.dlq-replay",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
        }
    )


def _dead_letter(message: Message, replayed: bool) -> DeadLetter:
    raw = message.headers() or []
    pairs = list(raw.items()) if isinstance(raw, dict) else raw
    headers = [(k, _as_bytes(v)) for k, v in pairs]
    meta = {k: v.decode(errors="replace") for k, v in headers if k in _DLQ_HEADERS}
    try:
        envelope: Any = decode_envelope(message.value())
    except MalformedEnvelope:
        envelope = None
    return DeadLetter(
        offset=message.offset() or 0,
        reason=meta.get(REASON, ""),
        original_topic=meta.get(ORIGINAL_TOPIC, ""),
        original_partition=int(meta.get(ORIGINAL_PARTITION, "-1")),
        original_offset=int(meta.get(ORIGINAL_OFFSET, "-1")),
        attempts=int(meta.get(ATTEMPTS, "0")),
        failed_at=meta.get(FAILED_AT, ""),
        event_id=envelope.event_id if envelope else None,
        event_type=envelope.event_type if envelope else None,
        replayed=replayed,
        key=message.key(),
        value=message.value(),
        headers=headers,
    )


def _as_bytes(value: str | bytes | None) -> bytes:
    return value.encode() if isinstance(value, str) else (value or b"")
