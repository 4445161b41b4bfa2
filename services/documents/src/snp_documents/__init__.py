"""Documents: encrypted group documents, mailing lists and forwarding."""
