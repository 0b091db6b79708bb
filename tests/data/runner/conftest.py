"""The sample repositories here are sandbox inputs with deliberately failing tests: never collect them."""

collect_ignore_glob = ["*"]
