"""`snp-events`: operator commands for the event backbone.

  snp-events topics ensure                       create every platform topic (idempotent)
  snp-events relay --service NAME                run a service's outbox relay (DATABASE_URL)
  snp-events dlq list --group GROUP              show a consumer group's dead letters
  snp-events dlq replay --group GROUP [--offset N ...]
                                                 send dead letters back to their topic
  snp-events projection rebuild --projection MODULE:FACTORY --from store|kafka
                                 [--service NAME] [--topic TOPIC ...]

Kafka comes from KAFKA_BOOTSTRAP and the service's database from DATABASE_URL.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
import threading
from typing import Any

from psycopg_pool import ConnectionPool

from snp_platform.deadletters import list_dead_letters, replay_dead_letters
from snp_platform.projections import StoreProjector, rebuild_from_kafka
from snp_platform.relay import Relay
from snp_platform.topics import ensure_topics


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    if args.command == "topics":
        ensure_topics(bootstrap)
        print("topics ensured")
    elif args.command == "dlq" and args.dlq_command == "list":
        for letter in list_dead_letters(bootstrap, args.group):
            print(json.dumps(letter.summary()))
    elif args.command == "dlq":
        offsets = set(args.offset) if args.offset else None
        replayed = replay_dead_letters(bootstrap, args.group, offsets)
        print(f"replayed {len(replayed)} dead letter(s): {[d.offset for d in replayed]}")
    elif args.command == "relay":
        _run_relay(bootstrap, args.service)
    else:
        print(f"applied {_rebuild(bootstrap, args)} event(s)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="snp-events", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("topics").add_argument("action", choices=["ensure"])
    commands.add_parser("relay").add_argument("--service", required=True)
    dlq = commands.add_parser("dlq").add_subparsers(dest="dlq_command", required=True)
    dlq.add_parser("list").add_argument("--group", required=True)
    replay = dlq.add_parser("replay")
    replay.add_argument("--group", required=True)
    replay.add_argument("--offset", type=int, action="append")
    projection = commands.add_parser("projection")
    projection.add_argument("action", choices=["rebuild"])
    projection.add_argument("--projection", required=True, help="module:factory")
    projection.add_argument("--from", dest="source", choices=["store", "kafka"], required=True)
    projection.add_argument("--service", help="the store's service (for --from store)")
    projection.add_argument("--topic", action="append", help="topics (for --from kafka)")
    return parser


def _database_pool() -> ConnectionPool[Any]:
    return ConnectionPool(os.environ["DATABASE_URL"], min_size=1, max_size=2)


def _run_relay(bootstrap: str, service: str) -> None:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with _database_pool() as pool:
        Relay(pool, bootstrap, service).run(stop)


def _rebuild(bootstrap: str, args: argparse.Namespace) -> int:
    module_name, _, factory_name = args.projection.partition(":")
    projection = getattr(importlib.import_module(module_name), factory_name)()
    with _database_pool() as pool:
        if args.source == "store":
            if not args.service:
                sys.exit("--from store needs --service")
            return StoreProjector(pool, projection, args.service).rebuild()
        if not args.topic:
            sys.exit("--from kafka needs at least one --topic")
        return rebuild_from_kafka(pool, bootstrap, projection, args.topic)


if __name__ == "__main__":
    sys.exit(main())
