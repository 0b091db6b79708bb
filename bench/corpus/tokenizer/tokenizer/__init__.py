"""Splitting arithmetic expressions into tokens."""
