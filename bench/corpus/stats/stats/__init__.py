"""Running statistics."""
