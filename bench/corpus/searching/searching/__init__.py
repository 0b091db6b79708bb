"""Searching sorted lists."""
