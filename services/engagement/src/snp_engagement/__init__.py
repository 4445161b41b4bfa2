"""The engagement service: ward priorities, actions against them, reviews, publishing."""
