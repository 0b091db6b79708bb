"""Repair engines: fix cache, rule-based templates, model; all behind one interface."""
