"""Sample repositories for the integrity attacks (tests fail on purpose): never collect."""

collect_ignore_glob = ["*"]
