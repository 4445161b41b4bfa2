"""Safer Neighbourhoods messaging."""
