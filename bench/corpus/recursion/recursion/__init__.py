"""Recursive functions."""
