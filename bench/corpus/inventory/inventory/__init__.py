"""A small stock inventory."""
