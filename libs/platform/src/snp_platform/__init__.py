"""Shared building blocks of every Safer Neighbourhoods service."""
