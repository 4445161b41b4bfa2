"""Run every benchmark on one throwaway stack (or the servers DATABASE_URL etc. name)."""

from __future__ import annotations

from e2e.bench import event_backbone
from snp_stack.testing import throwaway_stack


def main() -> None:
    with throwaway_stack() as stack:
        event_backbone.run(stack.database_url, stack.kafka_bootstrap)


if __name__ == "__main__":
    main()
