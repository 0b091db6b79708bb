"""Date range helpers."""
