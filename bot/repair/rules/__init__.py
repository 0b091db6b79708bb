"""The built-in rule-based repair engine: fix templates over Python's AST, no model needed."""
