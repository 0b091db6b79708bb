"""Truth Engine package."""
