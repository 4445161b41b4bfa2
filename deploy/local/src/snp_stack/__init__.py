"""The local stack of real PostgreSQL, Kafka and OPA used by `make run` and `make test`."""
