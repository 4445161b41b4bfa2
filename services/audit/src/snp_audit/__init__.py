"""The audit service: every event and authorization decision in a signed, verifiable log."""
