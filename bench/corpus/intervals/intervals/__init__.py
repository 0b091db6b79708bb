"""Closed numeric intervals."""
