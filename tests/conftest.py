"""Shared fixtures for every test: real services (Docker, Redis, PostgreSQL) and one fake GitHub."""

pytest_plugins = [
    "tests.fixtures.docker",
    "tests.fixtures.postgres",
    "tests.fixtures.redis",
    "tests.fixtures.github",
    "tests.fixtures.model_provider",
    "tests.fixtures.app",
]
