"""Kubernetes operator for the Safer Neighbourhoods Platform."""
