"""Sample repositories built for the dependency/command/Python tests: sandbox inputs, never collected."""

collect_ignore_glob = ["*"]
